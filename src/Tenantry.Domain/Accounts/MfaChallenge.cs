namespace Tenantry.Domain.Accounts;

/// <summary>
/// The second step of signing in an enrolled user: the password was right, a code is still
/// owed. Named on the wire by a random bearer value stored only as a hash; short-lived,
/// single-use, and dead after a few wrong codes.
/// </summary>
public sealed class MfaChallenge
{
    public const int MaxAttempts = 5;

    private MfaChallenge()
    {
    }

    public string TokenHash { get; private set; } = null!;
    public string UserId { get; private set; } = null!;
    public DateTime CreatedAt { get; private set; }
    public DateTime ExpiresAt { get; private set; }
    public DateTime? ConsumedAt { get; private set; }
    public int FailedAttempts { get; private set; }
    public string? ClientIp { get; private set; }
    public string? UserAgent { get; private set; }

    public static MfaChallenge Start(string tokenHash, string userId, TimeSpan lifetime, string? clientIp, string? userAgent, DateTimeOffset now) =>
        new()
        {
            TokenHash = tokenHash,
            UserId = userId,
            CreatedAt = now.UtcDateTime,
            ExpiresAt = (now + lifetime).UtcDateTime,
            ClientIp = clientIp,
            UserAgent = userAgent is { Length: > Session.MaxUserAgentLength } ? userAgent[..Session.MaxUserAgentLength] : userAgent,
        };

    public bool IsOpenAt(DateTimeOffset now) => ConsumedAt is null && ExpiresAt > now.UtcDateTime && FailedAttempts < MaxAttempts;
}
