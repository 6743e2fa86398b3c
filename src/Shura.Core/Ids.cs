namespace Shura.Core;

/// <summary>
/// An id of one kind of thing, over a Guid: parsed from routes and forms, written as the Guid's
/// text, so an id of one kind can never be passed where another is wanted.
/// </summary>
public interface ITypedId<TSelf> : IParsable<TSelf> where TSelf : struct, ITypedId<TSelf>
{
    Guid Value { get; }

    static abstract TSelf From(Guid value);

    // Route binding finds Parse and TryParse only as public members of the type itself, so each id
    // declares them, in one line each, over these two.
    protected static TSelf ParseId(string s, IFormatProvider? provider) => TSelf.From(Guid.Parse(s, provider));

    protected static bool TryParseId(string? s, IFormatProvider? provider, out TSelf result)
    {
        bool parsed = Guid.TryParse(s, provider, out var value);
        result = TSelf.From(value);
        return parsed;
    }
}

/// <summary>A person's account.</summary>
public readonly record struct AccountId(Guid Value) : ITypedId<AccountId>
{
    /// <summary>
    /// The proposer of a motion no person put: a by-election the council opens when seats fall
    /// vacant, a hide motion its members' flags open. No account has this id.
    /// </summary>
    public static readonly AccountId TheCouncil = new(Guid.Empty);

    public static AccountId From(Guid value) => new(value);

    public static AccountId Parse(string s, IFormatProvider? provider) => ITypedId<AccountId>.ParseId(s, provider);

    public static bool TryParse(string? s, IFormatProvider? provider, out AccountId result) => ITypedId<AccountId>.TryParseId(s, provider, out result);

    public override string ToString() => Value.ToString();
}

/// <summary>A council (a federation is a council too).</summary>
public readonly record struct CouncilId(Guid Value) : ITypedId<CouncilId>
{
    public static CouncilId From(Guid value) => new(value);

    public static CouncilId Parse(string s, IFormatProvider? provider) => ITypedId<CouncilId>.ParseId(s, provider);

    public static bool TryParse(string? s, IFormatProvider? provider, out CouncilId result) => ITypedId<CouncilId>.TryParseId(s, provider, out result);

    public override string ToString() => Value.ToString();
}

/// <summary>A motion put to a council.</summary>
public readonly record struct MotionId(Guid Value) : ITypedId<MotionId>
{
    public static MotionId From(Guid value) => new(value);

    public static MotionId Parse(string s, IFormatProvider? provider) => ITypedId<MotionId>.ParseId(s, provider);

    public static bool TryParse(string? s, IFormatProvider? provider, out MotionId result) => ITypedId<MotionId>.TryParseId(s, provider, out result);

    public override string ToString() => Value.ToString();
}

/// <summary>A personal access token for the API.</summary>
public readonly record struct TokenId(Guid Value) : ITypedId<TokenId>
{
    public static TokenId From(Guid value) => new(value);

    public static TokenId Parse(string s, IFormatProvider? provider) => ITypedId<TokenId>.ParseId(s, provider);

    public static bool TryParse(string? s, IFormatProvider? provider, out TokenId result) => ITypedId<TokenId>.TryParseId(s, provider, out result);

    public override string ToString() => Value.ToString();
}

/// <summary>A single-use invitation to a council.</summary>
public readonly record struct InvitationId(Guid Value) : ITypedId<InvitationId>
{
    public static InvitationId From(Guid value) => new(value);

    public static InvitationId Parse(string s, IFormatProvider? provider) => ITypedId<InvitationId>.ParseId(s, provider);

    public static bool TryParse(string? s, IFormatProvider? provider, out InvitationId result) => ITypedId<InvitationId>.TryParseId(s, provider, out result);

    public override string ToString() => Value.ToString();
}

/// <summary>A mandate: a role with seats in a council.</summary>
public readonly record struct MandateId(Guid Value) : ITypedId<MandateId>
{
    public static MandateId From(Guid value) => new(value);

    public static MandateId Parse(string s, IFormatProvider? provider) => ITypedId<MandateId>.ParseId(s, provider);

    public static bool TryParse(string? s, IFormatProvider? provider, out MandateId result) => ITypedId<MandateId>.TryParseId(s, provider, out result);

    public override string ToString() => Value.ToString();
}

/// <summary>An action that carries out a decision.</summary>
public readonly record struct ActionId(Guid Value) : ITypedId<ActionId>
{
    public static ActionId From(Guid value) => new(value);

    public static ActionId Parse(string s, IFormatProvider? provider) => ITypedId<ActionId>.ParseId(s, provider);

    public static bool TryParse(string? s, IFormatProvider? provider, out ActionId result) => ITypedId<ActionId>.TryParseId(s, provider, out result);

    public override string ToString() => Value.ToString();
}

/// <summary>A comment in the discussion of a motion.</summary>
public readonly record struct CommentId(Guid Value) : ITypedId<CommentId>
{
    public static CommentId From(Guid value) => new(value);

    public static CommentId Parse(string s, IFormatProvider? provider) => ITypedId<CommentId>.ParseId(s, provider);

    public static bool TryParse(string? s, IFormatProvider? provider, out CommentId result) => ITypedId<CommentId>.TryParseId(s, provider, out result);

    public override string ToString() => Value.ToString();
}

/// <summary>A post in a council's feed: a report, news, a statement.</summary>
public readonly record struct PostId(Guid Value) : ITypedId<PostId>
{
    public static PostId From(Guid value) => new(value);

    public static PostId Parse(string s, IFormatProvider? provider) => ITypedId<PostId>.ParseId(s, provider);

    public static bool TryParse(string? s, IFormatProvider? provider, out PostId result) => ITypedId<PostId>.TryParseId(s, provider, out result);

    public override string ToString() => Value.ToString();
}

/// <summary>An image attached to a post.</summary>
public readonly record struct ImageId(Guid Value) : ITypedId<ImageId>
{
    public static ImageId From(Guid value) => new(value);

    public static ImageId Parse(string s, IFormatProvider? provider) => ITypedId<ImageId>.ParseId(s, provider);

    public static bool TryParse(string? s, IFormatProvider? provider, out ImageId result) => ITypedId<ImageId>.TryParseId(s, provider, out result);

    public override string ToString() => Value.ToString();
}
