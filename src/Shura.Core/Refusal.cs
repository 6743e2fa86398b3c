namespace Shura.Core;

/// <summary>What kind of rule a refused command broke; the web edge maps each to one HTTP status.</summary>
public enum RefusalKind
{
    /// <summary>The request itself is malformed or breaks a rule of form (400).</summary>
    Invalid,

    /// <summary>The request is well formed, but its content breaks a rule (422).</summary>
    Unprocessable,

    /// <summary>No valid credentials (401).</summary>
    Unauthenticated,

    /// <summary>The actor may not do this (403).</summary>
    Forbidden,

    /// <summary>The thing does not exist, or the actor may not know it does (404).</summary>
    NotFound,

    /// <summary>The thing is not in a state that allows this now (409).</summary>
    Conflict,

    /// <summary>Too many such requests from one person in a short time; nothing was done, and it may be tried again later (429).</summary>
    TooMany,
}

/// <summary>
/// Why a command was refused. Refusals change nothing. <see cref="Code"/> is stable: scripts may
/// rely on it. <see cref="Field"/> names the input at fault, where there is one.
/// </summary>
public sealed record Refusal(RefusalKind Kind, string Code, string Message, string? Field = null)
{
    public static Refusal Invalid(string code, string message, string? field = null) => new(RefusalKind.Invalid, code, message, field);

    public static Refusal Unprocessable(string code, string message, string? field = null) => new(RefusalKind.Unprocessable, code, message, field);

    public static Refusal Forbidden(string code, string message) => new(RefusalKind.Forbidden, code, message);

    public static Refusal NotFound(string what) => new(RefusalKind.NotFound, Codes.NotFound, $"{what} does not exist.");

    public static Refusal Conflict(string code, string message) => new(RefusalKind.Conflict, code, message);

    public static Refusal TooMany(string code, string message) => new(RefusalKind.TooMany, code, message);
}

/// <summary>
/// The outcome of a command: the events to append to the log, or a refusal that changes nothing.
/// </summary>
public sealed record Verdict
{
    private Verdict(IReadOnlyList<Event> events, Refusal? refusal)
    {
        Events = events;
        Refusal = refusal;
    }

    public IReadOnlyList<Event> Events { get; }

    public Refusal? Refusal { get; }

    public bool IsAccepted => Refusal is null;

    public static Verdict Accept(params IEnumerable<Event> events) => new([.. events], null);

    public static Verdict Refuse(Refusal refusal) => new([], refusal);

    public static implicit operator Verdict(Refusal refusal) => Refuse(refusal);
}
