using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace Shura.Core.Mandates;

/// <summary>The rules of mandates: creating them, and withdrawing or restoring confidence.</summary>
public static class MandateRules
{
    public const int MaxSeats = 1000;

    /// <summary>
    /// A member defines a mandate. It grants nothing by itself: its seats stay vacant until an
    /// election motion of the members fills them. A delegate mandate sits in a federation the
    /// council is a member of.
    /// </summary>
    public static Verdict Create(
        MandateId id, CouncilId council, AccountId actor, bool isMember, string? name, string? kind, int seats,
        CouncilId? federation, bool councilIsInFederation, IReadOnlyList<string>? powers, TimeSpan? settlePeriod = null)
    {
        if (!isMember)
        {
            return Refusal.Forbidden(Codes.NotAMember, "Only members can define mandates.");
        }
        if (Text.NameProblem(name, "name", 1, 200) is Refusal badName)
        {
            return badName;
        }
        if (!Enum.TryParse<MandateKind>(kind, ignoreCase: true, out var k) || !Enum.IsDefined(k) || kind != k.ToString().ToLowerInvariant())
        {
            return Refusal.Invalid(Codes.InvalidField, "kind must be delegate, convener, executor or role.", "kind");
        }
        if (seats is < 1 or > MaxSeats)
        {
            return Refusal.Invalid(Codes.InvalidField, $"seats must be from 1 to {MaxSeats}.", "seats");
        }
        if (k == MandateKind.Delegate)
        {
            if (federation is null)
            {
                return Refusal.Invalid(Codes.InvalidField, "a delegate mandate names its federation.", "federation");
            }
            if (!councilIsInFederation)
            {
                return Refusal.Unprocessable(Codes.NotInFederation, "This council is not a member of that federation.", "federation");
            }
        }
        else if (federation is not null)
        {
            return Refusal.Invalid(Codes.InvalidField, "only a delegate mandate has a federation.", "federation");
        }
        var given = (powers ?? []).Select(p => p?.Trim() ?? "").ToList();
        if (given.FirstOrDefault(p => !Powers.Known.Contains(p)) is { } unknown)
        {
            return Refusal.Invalid(Codes.InvalidField, $"\"{unknown}\" is not a power a council can give; the powers are: {string.Join(", ", Powers.Known)}.", "powers");
        }
        if (settlePeriod is { } settle && (settle < TimeSpan.Zero || settle > ContinuousElection.MaxSettlePeriod))
        {
            return Refusal.Invalid(Codes.InvalidField, "settlePeriod must be from zero to a year.", "settlePeriod");
        }
        return Verdict.Accept(new MandateCreated(id, council, name!.Trim(), k, seats, federation, [.. given.Distinct()], actor) { SettlePeriod = settlePeriod });
    }

    /// <summary>
    /// An elector withdraws confidence from a holder, or gives it back (DESIGN §3). The count is
    /// taken now, against the electorate now; when withdrawals exceed half of it, the holder is
    /// recalled in the same step. Doing again what is already done changes nothing.
    /// </summary>
    /// <param name="withdrawals">Withdrawals from this holder before this change.</param>
    public static Verdict ChangeConfidence(
        Mandate mandate, AccountId holder, bool isHolder, bool isElector, string elector, bool withdraw, bool hadWithdrawn,
        long withdrawals, long electorate)
    {
        if (!isElector)
        {
            return Refusal.Forbidden(Codes.NotAnElector, "Only the mandate's electorate — the council's members — can withdraw or restore confidence.");
        }
        if (mandate.Continuous)
        {
            return Refusal.Conflict(Codes.ContinuousElection, "This mandate is held by continuous election: change your standing ballot instead.");
        }
        if (!isHolder)
        {
            return Refusal.Conflict(Codes.NotAHolder, "This person holds no seat of this mandate.");
        }
        if (withdraw == hadWithdrawn)
        {
            return Verdict.Accept();
        }
        long now = withdrawals + (withdraw ? 1 : -1);
        var changed = new ConfidenceChanged(mandate.Id, mandate.Council, holder, elector, withdraw);
        return Recall.IsRecalled(now, electorate)
            ? Verdict.Accept(changed, new HolderRecalled(mandate.Id, mandate.Council, holder, RecallCause.Confidence, now, electorate))
            : Verdict.Accept(changed);
    }

    /// <summary>
    /// The name an elector has in the log for one holder of one mandate: the account under open
    /// ballots, a pseudonym under secret ones (HMAC-SHA256 under the server's key, different for
    /// every mandate and holder).
    /// </summary>
    public static string Elector(MandateId mandate, AccountId holder, AccountId elector, bool secret, ReadOnlySpan<byte> key) =>
        secret ? Pseudonym($"mandate/{mandate}/{holder}/{elector}", key) : elector.ToString();

    /// <summary>An elector's name under secret ballots: HMAC-SHA256 of <paramref name="context"/> under the server's key.</summary>
    internal static string Pseudonym(string context, ReadOnlySpan<byte> key) =>
        "p:" + Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(context)).AsSpan(0, 16));

    /// <summary>
    /// The seats after an election: a regular election fills every seat anew (holders it did not
    /// re-elect leave, those it re-elected keep theirs); a by-election fills vacant seats only, and
    /// never gives a second seat to someone who holds one.
    /// </summary>
    public static IEnumerable<Event> Fill(Mandate mandate, MotionId election, bool byElection, IReadOnlyList<AccountId> holders, IReadOnlyList<AccountId> winners)
    {
        if (!byElection)
        {
            foreach (var holder in holders.Where(h => !winners.Contains(h)))
            {
                yield return new SeatVacated(mandate.Id, mandate.Council, holder, election);
            }
        }
        int room = byElection ? Math.Max(0, mandate.Seats - holders.Count) : mandate.Seats;
        foreach (var winner in winners.Where(w => !holders.Contains(w)).Take(room))
        {
            yield return new SeatFilled(mandate.Id, mandate.Council, winner, election);
        }
    }
}
