using Shura.Core.Discussion;
using Shura.Core.Motions;
using Shura.Core.Tests.Support;

namespace Shura.Core.Tests.Discussion;

public class DiscussionRulesTests
{
    private static readonly CommentId Id = new(Guid.Parse("00000000-0000-0000-0000-0000000000d1"));

    private static DiscussionRules.Comment Comment(AccountId author, bool deleted = false, MotionId? motion = null) =>
        new(Id, motion ?? Build.Motion(MotionState.Deliberation).Id, author, Build.Now, deleted);

    [Theory]
    [InlineData(MotionState.Draft, false)]
    [InlineData(MotionState.Proposed, true)]
    [InlineData(MotionState.Deliberation, true)]
    [InlineData(MotionState.Voting, true)]
    [InlineData(MotionState.Decided, false)]
    [InlineData(MotionState.InForce, false)]
    [InlineData(MotionState.Rejected, false)]
    public void The_discussion_is_open_from_the_proposal_until_the_result_is_fixed(MotionState state, bool open)
    {
        var verdict = DiscussionRules.Post(Id, Build.Motion(state), Build.Babak, isMember: true, "A word.", replyNamed: false, replyTo: null);

        Assert.Equal(open ? null : Codes.DiscussionClosed, verdict.Refusal?.Code);
    }

    [Fact]
    public void The_log_holds_the_hash_of_the_words()
    {
        var verdict = DiscussionRules.Post(Id, Build.Motion(MotionState.Voting), Build.Babak, isMember: true, "سلام", replyNamed: false, replyTo: null);

        var posted = Assert.IsType<CommentPosted>(Assert.Single(verdict.Events));
        Assert.Equal(Texts.Hash("سلام"), posted.TextHash);
        Assert.NotEqual(Texts.Hash("سلام "), posted.TextHash);
        // SHA-256 of the UTF-8 bytes, as `printf 'abc' | sha256sum` prints it (FIPS 180-2's first example).
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Texts.Hash("abc"));
    }

    [Fact]
    public void A_comment_can_be_changed_by_its_author_for_a_quarter_of_an_hour()
    {
        var motion = Build.Motion(MotionState.Deliberation);

        Assert.Null(DiscussionRules.Edit(Comment(Build.Babak), motion, Build.Babak, "Better said.", Build.Now + DiscussionRules.EditWindow).Refusal);
        Assert.Equal(Codes.EditWindowPassed,
            DiscussionRules.Edit(Comment(Build.Babak), motion, Build.Babak, "Too late.", Build.Now + DiscussionRules.EditWindow + TimeSpan.FromSeconds(1)).Refusal?.Code);
        Assert.Equal(Codes.NotAuthor, DiscussionRules.Edit(Comment(Build.Babak), motion, Build.Leyla, "Not mine.", Build.Now).Refusal?.Code);
        Assert.Equal(Codes.CommentDeleted, DiscussionRules.Edit(Comment(Build.Babak, deleted: true), motion, Build.Babak, "Back?", Build.Now).Refusal?.Code);
        Assert.Equal(Codes.DiscussionClosed,
            DiscussionRules.Edit(Comment(Build.Babak), Build.Motion(MotionState.Decided), Build.Babak, "After the result.", Build.Now).Refusal?.Code);
    }

    [Fact]
    public void Only_the_author_takes_a_comment_back_and_only_once()
    {
        Assert.Null(DiscussionRules.Delete(Comment(Build.Babak), Build.CouncilId, Build.Babak).Refusal);
        Assert.Equal(Codes.NotAuthor, DiscussionRules.Delete(Comment(Build.Babak), Build.CouncilId, Build.Leyla).Refusal?.Code);
        Assert.Equal(Codes.CommentDeleted, DiscussionRules.Delete(Comment(Build.Babak, deleted: true), Build.CouncilId, Build.Babak).Refusal?.Code);
    }

    [Fact]
    public void A_reply_answers_a_comment_of_the_same_motion()
    {
        var motion = Build.Motion(MotionState.Deliberation);
        var elsewhere = Comment(Build.Leyla, motion: new MotionId(Guid.NewGuid()));

        Assert.Equal(Codes.NotFound, DiscussionRules.Post(Id, motion, Build.Babak, true, "Yes.", replyNamed: true, replyTo: null).Refusal?.Code);
        Assert.Equal(Codes.NotFound, DiscussionRules.Post(Id, motion, Build.Babak, true, "Yes.", replyNamed: true, replyTo: elsewhere).Refusal?.Code);
        var posted = Assert.IsType<CommentPosted>(Assert.Single(DiscussionRules.Post(Id, motion, Build.Babak, true, "Yes.", true, Comment(Build.Leyla)).Events));
        Assert.Equal(Id, posted.ReplyTo);
    }

    [Fact]
    public void A_reply_from_another_server_is_changed_or_taken_back_from_there_under_a_members_rules_and_a_members_comment_never_so()
    {
        var remote = Comment(new AccountId(Guid.Empty)) with { FromFediverse = true };
        var changed = DiscussionRules.FediverseEdit(remote, Build.CouncilId, true, "closed", "At six.", Build.Now, new Salts());
        Assert.Equal(Id, Assert.IsType<FediverseReplyEdited>(Assert.Single(changed.Events)).Comment);
        Assert.Equal(Codes.EditWindowPassed,
            DiscussionRules.FediverseEdit(remote, Build.CouncilId, true, "closed", "Late.", Build.Now + DiscussionRules.EditWindow + TimeSpan.FromSeconds(1), new Salts()).Refusal?.Code);
        Assert.Equal(Codes.DiscussionClosed, DiscussionRules.FediverseEdit(remote, Build.CouncilId, false, "closed", "Closed.", Build.Now, new Salts()).Refusal?.Code);
        Assert.Equal(Codes.TextHidden, DiscussionRules.FediverseEdit(remote with { Hidden = true }, Build.CouncilId, true, "closed", "Hidden.", Build.Now, new Salts()).Refusal?.Code);
        Assert.Equal(("invalid-field", "content"), DiscussionRules.FediverseEdit(remote, Build.CouncilId, true, "closed", "", Build.Now, new Salts()).Refusal is { } r ? (r.Code, r.Field) : default);
        Assert.IsType<FediverseReplyDeleted>(Assert.Single(DiscussionRules.FediverseDelete(remote, Build.CouncilId).Events));
        Assert.Equal(Codes.CommentDeleted, DiscussionRules.FediverseDelete(remote with { Deleted = true }, Build.CouncilId).Refusal?.Code);
        // A member's comment is not anyone's on another server to change.
        Assert.Equal(Codes.NotAuthor, DiscussionRules.FediverseEdit(Comment(Build.Babak), Build.CouncilId, true, "closed", "Mine now.", Build.Now, new Salts()).Refusal?.Code);
        Assert.Equal(Codes.NotAuthor, DiscussionRules.FediverseDelete(Comment(Build.Babak), Build.CouncilId).Refusal?.Code);
    }
}
