namespace Tenantry.Data.Keys;

/// <summary>
/// An ES256 key pair for access and session tokens, shared by every server replica through
/// the database. Lifecycle: published (in JWKS) → signing from <see cref="ActivatesAt"/> →
/// retired from signing at <see cref="RetiresAt"/> → still verifying until <see cref="ExpiresAt"/>.
/// </summary>
public sealed class SigningKey
{
    public string Kid { get; set; } = null!;
    public string Algorithm { get; set; } = "ES256";

    /// <summary>PKCS#8 private key, encrypted with Data Protection (<c>dp1:</c> prefix); older rows held it as plain base64.</summary>
    public string PrivateKey { get; set; } = null!;

    public DateTime CreatedAt { get; set; }
    public DateTime ActivatesAt { get; set; }
    public DateTime RetiresAt { get; set; }
    public DateTime ExpiresAt { get; set; }
}
