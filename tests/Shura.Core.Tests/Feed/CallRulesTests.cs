using Shura.Core.Feed;
using Shura.Core.Tests.Support;

namespace Shura.Core.Tests.Feed;

public class CallRulesTests
{
    private static readonly PostId Id = new(Guid.Parse("00000000-0000-0000-0000-0000000000e1"));

    private static CallRules.Call Call(int pledges, bool on, int? threshold = 3, bool deleted = false) =>
        new(Id, Build.CouncilId, Build.Now.AddDays(3), threshold, threshold is null ? null : Build.Now.AddDays(1), pledges, on, deleted);

    [Fact]
    public void The_pledge_that_reaches_the_threshold_puts_the_call_on_with_it()
    {
        Assert.Single(CallRules.Pledge(Call(1, on: false), Build.Babak, true, false, Build.Now).Events);
        var events = CallRules.Pledge(Call(2, on: false), Build.Babak, true, false, Build.Now).Events;
        Assert.IsType<Pledged>(events[0]);
        Assert.Equal(3, Assert.IsType<CallOn>(events[1]).Pledges);
        // Past the threshold it is on already: a pledge is only a pledge.
        Assert.Single(CallRules.Pledge(Call(3, on: true), Build.Babak, true, false, Build.Now).Events);
    }

    [Fact]
    public void A_pledge_taken_back_below_the_threshold_puts_the_call_off_again()
    {
        var events = CallRules.Withdraw(Call(3, on: true), Build.Babak, pledged: true, Build.Now).Events;
        Assert.Equal(2, Assert.IsType<CallOff>(events[1]).Pledges);
        Assert.Single(CallRules.Withdraw(Call(4, on: true), Build.Babak, pledged: true, Build.Now).Events);
    }

    [Fact]
    public void At_the_deadline_pledges_are_fixed_and_a_call_below_its_threshold_is_off_for_good()
    {
        var deadline = Build.Now.AddDays(1);
        Assert.Equal(Codes.PledgesClosed, CallRules.Pledge(Call(1, on: false), Build.Babak, true, false, deadline).Refusal?.Code);
        Assert.Equal(Codes.PledgesClosed, CallRules.Withdraw(Call(3, on: true), Build.Babak, true, deadline).Refusal?.Code);
        Assert.Equal(CallRules.Status.Gathering, CallRules.StatusOf(Call(1, on: false), deadline.AddTicks(-1)));
        Assert.Equal(CallRules.Status.Off, CallRules.StatusOf(Call(1, on: false), deadline));
        Assert.Equal(CallRules.Status.On, CallRules.StatusOf(Call(3, on: true), deadline));
        Assert.Equal(CallRules.Status.Open, CallRules.StatusOf(Call(0, on: false, threshold: null), deadline));
    }

    [Fact]
    public void Only_members_pledge_once_and_a_call_taken_back_takes_none()
    {
        Assert.Equal(Codes.NotAMember, CallRules.Pledge(Call(0, false), Build.Babak, isMember: false, pledged: false, Build.Now).Refusal?.Code);
        Assert.Equal(Codes.AlreadyPledged, CallRules.Pledge(Call(1, false), Build.Babak, true, pledged: true, Build.Now).Refusal?.Code);
        Assert.Equal(Codes.NoPledge, CallRules.Withdraw(Call(1, false), Build.Babak, pledged: false, Build.Now).Refusal?.Code);
        Assert.Equal(Codes.PostDeleted, CallRules.Pledge(Call(1, false, deleted: true), Build.Babak, true, false, Build.Now).Refusal?.Code);
    }

    [Fact]
    public void A_call_may_say_when_it_ends_after_its_start_and_says_nothing_of_it_in_the_log_when_it_does_not()
    {
        CallPublished Publish(DateTimeOffset? endsAt) => Assert.IsType<CallPublished>(Assert.Single(
            CallRules.Publish(Id, Build.CouncilId, Build.Babak, true, "Strike", "All out.", "The gate", Build.Now.AddDays(2), null, null, Build.Now, endsAt: endsAt).Events));
        Assert.Equal(Build.Now.AddDays(2).AddHours(8), Publish(Build.Now.AddDays(2).AddHours(8)).EndsAt);
        string written = System.Text.Json.JsonSerializer.Serialize(Publish(null), Shura.Core.Log.EventJson.Options);
        Assert.DoesNotContain("endsAt", written, StringComparison.Ordinal);
        foreach (var wrong in new[] { Build.Now.AddDays(2), Build.Now.AddDays(1), Build.Now.AddDays(2) + CallRules.MaxLength + TimeSpan.FromMinutes(1) })
        {
            var refused = CallRules.Publish(Id, Build.CouncilId, Build.Babak, true, "Strike", "All out.", "The gate", Build.Now.AddDays(2), null, null, Build.Now, endsAt: wrong).Refusal!;
            Assert.Equal((Codes.InvalidField, "endsAt"), (refused.Code, refused.Field));
        }
    }
}
