using System.Collections.Immutable;
using Shura.Core.Councils;
using Shura.Core.Counting;
using Shura.Core.Motions;

namespace Shura.Storage;

/// <summary>Table rows as they come from SQL, and their domain records.</summary>
internal static class Rows
{
    public sealed class CouncilRow
    {
        public CouncilId Id { get; set; }
        public string Name { get; set; } = "";
        public string Description { get; set; } = "";
        public string Settings { get; set; } = "";
        public string CreatedAt { get; set; } = "";
        public long Federation { get; set; }

        /// <summary>Read only by the queries that list councils with their size.</summary>
        public long MemberCount { get; set; }

        public Council ToCouncil() => new(Id, Name, Description,
            Projector.FromJson<CouncilSettings>(Settings), WriteSession.Parse(CreatedAt)) { IsFederation = Federation != 0 };
    }

    public sealed class MotionRow
    {
        public MotionId Id { get; set; }
        public CouncilId CouncilId { get; set; }
        public AccountId Proposer { get; set; }
        public string Kind { get; set; } = "";
        public string Title { get; set; } = "";
        public string Text { get; set; } = "";
        public string Options { get; set; } = "[]";
        public string Method { get; set; } = "";
        public long Seats { get; set; }
        public string Threshold { get; set; } = "";
        public long Urgent { get; set; }
        public MotionId? Repeals { get; set; }
        public string? NewSettings { get; set; }
        public string? SettingsChange { get; set; }
        public AccountId? Applicant { get; set; }
        public string State { get; set; } = "";
        public string CreatedAt { get; set; } = "";
        public long Supporters { get; set; }
        public string? DeliberationEndsAt { get; set; }
        public string? VotingEndsAt { get; set; }
        public string? DecidedAt { get; set; }
        public long Secret { get; set; }
        public long LiveResults { get; set; }
        public string? Quorum { get; set; }
        public string? Seed { get; set; }
        public long? Electorate { get; set; }
        public string? Result { get; set; }
        public MandateId? Mandate { get; set; }
        public long ByElection { get; set; }
        public AccountId? Holder { get; set; }
        public CouncilId? Federation { get; set; }
        public MotionId? FederationMotion { get; set; }
        public string? Instruction { get; set; }
        public long Referred { get; set; }
        public string? Moderates { get; set; }

        public Motion ToMotion()
        {
            MotionNames.TryParseKind(Kind, out var kind);
            MotionNames.TryParseThreshold(Threshold, out var threshold);
            TallyMethods.TryParse(Method, out var method);
            return new Motion
            {
                Id = Id,
                Council = CouncilId,
                Proposer = Proposer,
                Title = Title,
                Text = Text,
                Options = Projector.FromJson<ImmutableArray<string>>(Options),
                Method = method,
                Seats = (int)Seats,
                Threshold = threshold,
                Urgent = Urgent != 0,
                Subject = MotionSubject.FromFields(kind,
                    Repeals,
                    SettingsChange is null ? null : Projector.FromJson<SettingsChange>(SettingsChange),
                    NewSettings is null ? null : Projector.FromJson<CouncilSettings>(NewSettings),
                    Applicant,
                    Mandate,
                    ByElection != 0,
                    Holder,
                    Federation,
                    FederationMotion,
                    Instruction is null ? null : Projector.FromJson<MotionBallot>(Instruction),
                    Moderates is null ? null : Projector.FromJson<Core.Moderation.Moderated>(Moderates)),
                State = MotionNames.ParseState(State),
                CreatedAt = WriteSession.Parse(CreatedAt),
                Supporters = (int)Supporters,
                DeliberationEndsAt = DeliberationEndsAt is null ? null : WriteSession.Parse(DeliberationEndsAt),
                VotingEndsAt = VotingEndsAt is null ? null : WriteSession.Parse(VotingEndsAt),
                DecidedAt = DecidedAt is null ? null : WriteSession.Parse(DecidedAt),
                SecretBallots = Secret != 0,
                LiveResults = LiveResults != 0,
                Quorum = Core.Counting.Quorum.TryParse(Quorum, out var q) ? q : null,
                Referred = Referred != 0,
            };
        }
    }

    public const string CouncilById = "SELECT id, name, description, settings, created_at, federation FROM councils WHERE id = @id";

    public const string MotionColumns = """
        id, council_id, proposer, kind, title, text, options, method, seats, threshold, urgent, repeals, new_settings, applicant,
        state, created_at, supporters, deliberation_ends_at, voting_ends_at, decided_at, secret, live_results, quorum, seed, electorate, result,
        mandate, by_election, holder, federation, federation_motion, instruction, referred, settings_change, moderates
        """;
}
