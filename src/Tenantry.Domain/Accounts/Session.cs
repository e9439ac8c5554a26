namespace Tenantry.Domain.Accounts;

/// <summary>
/// A server-side sign-in session. Access tokens and the session cookie name it (claim
/// <c>sid</c>); revoking it rejects every token of the session at once.
/// </summary>
public sealed class Session
{
    public const int MaxUserAgentLength = 512;

    private Session()
    {
    }

    public string Id { get; private set; } = null!;
    public string UserId { get; private set; } = null!;

    /// <summary>Hex SHA-256 of the secret half of the session token (the <c>__session</c> cookie); the token itself is never stored.</summary>
    public string TokenHash { get; private set; } = null!;

    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }
    public DateTime ExpiresAt { get; private set; }
    public DateTime? RevokedAt { get; private set; }
    public SessionRevocation? RevocationReason { get; private set; }

    /// <summary>When the holder proved a second factor; null until then.</summary>
    public DateTime? MfaVerifiedAt { get; private set; }
    public string? ClientIp { get; private set; }
    public string? UserAgent { get; private set; }

    public bool IsMfaVerified => MfaVerifiedAt is not null;

    public static Session Start(
        string id, string userId, string tokenHash, TimeSpan lifetime, string? clientIp, string? userAgent, DateTimeOffset now) =>
        new()
        {
            Id = id,
            UserId = userId,
            TokenHash = tokenHash,
            CreatedAt = now.UtcDateTime,
            UpdatedAt = now.UtcDateTime,
            ExpiresAt = (now + lifetime).UtcDateTime,
            ClientIp = clientIp,
            UserAgent = userAgent is { Length: > MaxUserAgentLength } ? userAgent[..MaxUserAgentLength] : userAgent,
        };

    public bool IsActiveAt(DateTimeOffset now) => RevokedAt is null && ExpiresAt > now.UtcDateTime;

    public void Touch(DateTimeOffset now) => UpdatedAt = now.UtcDateTime;

    public void Revoke(SessionRevocation reason, DateTimeOffset now)
    {
        if (RevokedAt is not null)
        {
            return;
        }
        RevokedAt = now.UtcDateTime;
        RevocationReason = reason;
        UpdatedAt = now.UtcDateTime;
    }

    public void MarkMfaVerified(DateTimeOffset now)
    {
        MfaVerifiedAt = now.UtcDateTime;
        UpdatedAt = now.UtcDateTime;
    }
}

public enum SessionRevocation
{
    SignedOut,
    RefreshTokenReused,
    Administrative,
}
