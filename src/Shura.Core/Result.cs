namespace Shura.Core;

/// <summary>A command's answer, which may be a refusal; the writer keeps nothing of a refused command, and a rule's refusal stops the command.</summary>
public interface IOutcome
{
    Refusal? Refusal { get; }
}

/// <summary>What a command returns: its value, or the refusal that changed nothing.</summary>
public readonly record struct Result<T>(T? Value, Refusal? Refusal) : IOutcome
{
    public bool IsOk => Refusal is null;

    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(Refusal refusal) => new(default, refusal);
}
