namespace Tenantry.Data.Security;

/// <summary>
/// Consecutive failures of one guarded secret (a password by email, a second factor by user)
/// and how long further attempts are refused. Kept in the database so every replica
/// enforces the same lockout. Keyed by a hash of the subject, so an unknown email is counted
/// exactly like a known one and nothing tells them apart.
/// </summary>
public sealed class AuthLockout
{
    public const int MaxKeyLength = 80;

    public string Key { get; set; } = null!;
    public int Failures { get; set; }
    public DateTime LastFailureAt { get; set; }
    public DateTime? LockedUntil { get; set; }
}
