namespace Tenantry.Domain.Accounts;

/// <summary>
/// The open proof request of an account's email address: a link token (256 random bits) and a
/// short code, both sent by email and stored here only as hashes. One per account: sending a new
/// one replaces the previous, whose token and code stop working. Used once (deleted when it
/// verifies), it expires, and its code can be tried <see cref="MaxCodeAttempts"/> times (each try is
/// counted before the code is compared, so concurrent guesses get no more); the link token is not
/// guessable and keeps working until it expires.
/// </summary>
public sealed class EmailVerification
{
    public const int MaxCodeAttempts = 5;

    private EmailVerification()
    {
    }

    public string UserId { get; private set; } = null!;

    /// <summary>Names this issue of the secrets (the email that carries them refers to it; a newer one makes it obsolete).</summary>
    public string Id { get; private set; } = null!;

    /// <summary>The address the secrets were sent to: they prove only that one.</summary>
    public string NormalizedEmail { get; private set; } = null!;

    public string TokenHash { get; private set; } = null!;
    public string CodeHash { get; private set; } = null!;
    public int CodeAttempts { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime ExpiresAt { get; private set; }

    public static EmailVerification Issue(
        string id, string userId, string normalizedEmail, string tokenHash, string codeHash, TimeSpan validFor, DateTimeOffset now)
    {
        var verification = new EmailVerification { UserId = userId };
        verification.Reissue(id, normalizedEmail, tokenHash, codeHash, validFor, now);
        return verification;
    }

    /// <summary>New secrets in place of the old ones, with a fresh expiry and attempt count.</summary>
    public void Reissue(string id, string normalizedEmail, string tokenHash, string codeHash, TimeSpan validFor, DateTimeOffset now)
    {
        Id = id;
        NormalizedEmail = normalizedEmail;
        TokenHash = tokenHash;
        CodeHash = codeHash;
        CodeAttempts = 0;
        CreatedAt = now.UtcDateTime;
        ExpiresAt = (now + validFor).UtcDateTime;
    }

    public bool IsOpenAt(DateTimeOffset now) => ExpiresAt > now.UtcDateTime;

    public bool AcceptsCodesAt(DateTimeOffset now) => IsOpenAt(now) && CodeAttempts < MaxCodeAttempts;
}
