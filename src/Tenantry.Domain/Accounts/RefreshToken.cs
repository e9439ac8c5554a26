namespace Tenantry.Domain.Accounts;

/// <summary>
/// One refresh token of a session, stored only as a hash. Each refresh consumes the
/// presented token and issues the next; presenting a consumed token again is reuse,
/// which revokes the whole session.
/// </summary>
public sealed class RefreshToken
{
    private RefreshToken()
    {
    }

    /// <summary>Hex SHA-256 of the token; the token itself is never stored.</summary>
    public string TokenHash { get; private set; } = null!;
    public string SessionId { get; private set; } = null!;
    public DateTime CreatedAt { get; private set; }
    public DateTime ExpiresAt { get; private set; }
    public DateTime? ConsumedAt { get; private set; }

    public static RefreshToken Issue(string tokenHash, string sessionId, DateTime expiresAt, DateTimeOffset now) =>
        new()
        {
            TokenHash = tokenHash,
            SessionId = sessionId,
            CreatedAt = now.UtcDateTime,
            ExpiresAt = expiresAt,
        };
}
