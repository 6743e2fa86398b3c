namespace Shura.Core;

/// <summary>
/// Something that happened, appended to the log (DESIGN §6). Each event belongs to one chain:
/// its council's, or the accounts chain for events outside any council.
/// </summary>
public abstract record Event
{
    /// <summary>The council whose chain holds this event; null for the accounts chain.</summary>
    public abstract Guid? Council { get; }

    /// <summary>
    /// Who did it, as the log shows it: an account id, a per-motion pseudonym for a secret
    /// ballot, or "clock" for what a deadline caused.
    /// </summary>
    public abstract string Actor { get; }
}
