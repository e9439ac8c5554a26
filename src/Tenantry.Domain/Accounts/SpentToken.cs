namespace Tenantry.Domain.Accounts;

/// <summary>
/// A token of limited use that has been used (a captcha challenge redeemed, a captcha pass presented): its id and how many
/// times, kept until the token would have expired anyway. The token itself is signed and carries its own expiry; this row is
/// what limits its uses on every replica (a first use inserts it, the primary key stops a concurrent first use, later uses
/// are counted by a conditional update).
/// </summary>
public sealed class SpentToken
{
    public const int MaxIdLength = 64;

    private SpentToken()
    {
    }

    public string Id { get; private set; } = null!;
    public int Uses { get; private set; }
    public DateTime ExpiresAt { get; private set; }

    public static SpentToken FirstUse(string id, DateTimeOffset expiresAt) => new() { Id = id, Uses = 1, ExpiresAt = expiresAt.UtcDateTime };
}
