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

/// <summary>A mandate: a role with seats in a council.</summary>
public readonly record struct MandateId(Guid Value)
{
    public override string ToString() => Value.ToString();
}

/// <summary>An action that carries out a decision.</summary>
public readonly record struct ActionId(Guid Value)
{
    public override string ToString() => Value.ToString();
}
