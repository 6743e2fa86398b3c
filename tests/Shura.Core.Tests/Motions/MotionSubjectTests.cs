using Shura.Core.Councils;
using Shura.Core.Counting;
using Shura.Core.Log;
using Shura.Core.Motions;
using Shura.Core.Tests.Support;

namespace Shura.Core.Tests.Motions;

/// <summary>A motion's subject is one case per kind; the log keeps flat fields, and the two map both ways without loss.</summary>
public class MotionSubjectTests
{
    private static readonly MotionId Other = new(Guid.Parse("00000000-0000-0000-0000-0000000000f2"));
    private static readonly MandateId Seat = new(Guid.Parse("00000000-0000-0000-0000-0000000000d1"));
    private static readonly CouncilId Federation = new(Guid.Parse("00000000-0000-0000-0000-0000000000c2"));

    private static readonly MotionSubject[] Subjects =
    [
        MotionSubject.Decision.Plain,
        MotionSubject.Choice.Plain,
        new MotionSubject.Election(),
        new MotionSubject.Election(Seat, ByElection: true),
        new MotionSubject.Repeal(Other),
        new MotionSubject.Settings(SettingsChange.Between(CouncilSettings.Default, CouncilSettings.Default with { SecretBallots = false })),
        new MotionSubject.Settings(null, CouncilSettings.Default),
        new MotionSubject.Admission(Build.Babak),
        new MotionSubject.Recall(Seat, Build.Babak),
        new MotionSubject.Federate(Federation),
        new MotionSubject.Secede(Federation),
        new MotionSubject.Instruction(Other, new MotionBallot(Choice: "yes")),
        new MotionSubject.Referral(Other),
        new MotionSubject.Hide(Core.Moderation.Moderated.Of(new CommentId(Guid.NewGuid()))),
        new MotionSubject.Erase(Core.Moderation.Moderated.Of(new PostId(Guid.NewGuid()))),
    ];

    public static TheoryData<MotionSubject> EveryKind() => [.. Subjects];

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void The_log_entry_of_a_subject_reads_back_as_that_subject(MotionSubject subject)
    {
        var id = new MotionId(Guid.NewGuid());
        MotionPut Entry(MotionSubject s) => MotionPut.Of(id, Build.CouncilId, Build.Leyla, s, "t", "", [], TallyMethod.Decision, 1, Threshold.Simple, urgent: false, draft: false);
        var put = Entry(subject);

        var read = Assert.IsType<MotionPut>(EventJson.Read(EventJson.TypeName(put), EventJson.Payload(put))).ToSubject();

        Assert.Equal(subject.Kind, put.Kind);
        Assert.Equal(subject.GetType(), read.GetType());
        Assert.Equal(EventJson.Payload(put), EventJson.Payload(Entry(read)));
    }

    [Fact]
    public void Every_kind_has_a_subject_case()
    {
        var covered = Subjects.Select(s => s.Kind).ToHashSet();

        Assert.Equal(Enum.GetValues<MotionKind>().ToHashSet(), covered);
    }

    [Fact]
    public void A_log_entry_missing_what_its_kind_needs_is_damage_not_a_default()
    {
        Assert.Throws<InvalidDataException>(() =>
            MotionSubject.FromFields(MotionKind.Recall, null, null, null, null, Seat, false, holder: null, null, null, null));
    }

    [Theory]
    [InlineData("decision", "repeals")]
    [InlineData("choice", "holder")]
    [InlineData("recall", "federation")]
    [InlineData("election", "ballot")]
    [InlineData("settings", "mandate")]
    public void A_field_of_another_kind_is_refused_by_name(string kind, string field)
    {
        var request = new MotionRequest(kind, "t", "", Repeals: field == "repeals" ? Other : null)
        {
            Holder = kind == "recall" || field == "holder" ? Build.Babak : null,
            Mandate = kind == "recall" || field == "mandate" ? Seat : null,
            Federation = field == "federation" ? Federation : null,
            Instruction = field == "ballot" ? new MotionBallot(Choice: "yes") : null,
        };

        var refusal = Assert.IsType<Refusal>(request.ReadSubject().Refusal);

        Assert.Equal((Codes.InvalidField, field), (refusal.Code, refusal.Field));
    }

    [Theory]
    [InlineData("repeal", "repeals")]
    [InlineData("settings", "settings")]
    [InlineData("recall", "mandate")]
    [InlineData("federate", "federation")]
    [InlineData("instruction", "federationMotion")]
    [InlineData("referral", "federationMotion")]
    public void A_kind_without_its_own_field_is_refused_by_name(string kind, string field)
    {
        var refusal = Assert.IsType<Refusal>(new MotionRequest(kind, "t", "").ReadSubject().Refusal);

        Assert.Equal((Codes.InvalidField, field), (refusal.Code, refusal.Field));
    }
}
