namespace Shura.Core;

/// <summary>A person's account.</summary>
public readonly record struct AccountId(Guid Value)
{
    public override string ToString() => Value.ToString();
}

/// <summary>A council (a federation is a council too).</summary>
public readonly record struct CouncilId(Guid Value)
{
    public override string ToString() => Value.ToString();
}

/// <summary>A motion put to a council.</summary>
public readonly record struct MotionId(Guid Value)
{
    public override string ToString() => Value.ToString();
}

/// <summary>A personal access token for the API.</summary>
public readonly record struct TokenId(Guid Value)
{
    public override string ToString() => Value.ToString();
}

/// <summary>A single-use invitation to a council.</summary>
public readonly record struct InvitationId(Guid Value)
{
    public override string ToString() => Value.ToString();
}
