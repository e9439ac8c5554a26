namespace Tenantry.Domain.Accounts;

/// <summary>
/// An account's open password reset: a short code sent by email, stored here only as a hash. One per account (asking again
/// replaces it, and the older code stops working). The code can be tried <see cref="MaxCodeAttempts"/> times (each try is
/// counted before the comparison, so concurrent guesses get no more) until it expires; a right code marks the reset
/// verified, which the reset itself then needs, and the reset deletes the row, so it happens once.
/// </summary>
public sealed class PasswordReset
{
    public const int MaxCodeAttempts = 5;

    private PasswordReset()
    {
    }

    public string UserId { get; private set; } = null!;

    /// <summary>Names this issue of the code (its email and the reset token refer to it; a newer one makes both obsolete).</summary>
    public string Id { get; private set; } = null!;

    /// <summary>The address the code was sent to: a reset proves only that one.</summary>
    public string NormalizedEmail { get; private set; } = null!;

    public string CodeHash { get; private set; } = null!;
    public int CodeAttempts { get; private set; }

    /// <summary>When the right code was entered; null until then.</summary>
    public DateTime? VerifiedAt { get; private set; }

    public DateTime CreatedAt { get; private set; }
    public DateTime ExpiresAt { get; private set; }

    public static PasswordReset Issue(string id, string userId, string normalizedEmail, string codeHash, TimeSpan validFor, DateTimeOffset now) => new()
    {
        Id = id,
        UserId = userId,
        NormalizedEmail = normalizedEmail,
        CodeHash = codeHash,
        CodeAttempts = 0,
        CreatedAt = now.UtcDateTime,
        ExpiresAt = (now + validFor).UtcDateTime,
    };

    public bool IsOpenAt(DateTimeOffset now) => ExpiresAt > now.UtcDateTime;
}
