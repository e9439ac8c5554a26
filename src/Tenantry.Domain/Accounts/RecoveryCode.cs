namespace Tenantry.Domain.Accounts;

/// <summary>A one-time recovery code, stored only as a hash; using it marks it spent.</summary>
public sealed class RecoveryCode
{
    private RecoveryCode()
    {
    }

    public string UserId { get; private set; } = null!;

    /// <summary>Hex SHA-256 of the normalized code. Codes carry 80 random bits, so a fast hash is enough.</summary>
    public string CodeHash { get; private set; } = null!;

    public DateTime CreatedAt { get; private set; }
    public DateTime? UsedAt { get; private set; }

    public static RecoveryCode Issue(string userId, string codeHash, DateTimeOffset now) =>
        new() { UserId = userId, CodeHash = codeHash, CreatedAt = now.UtcDateTime };
}
