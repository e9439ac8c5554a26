namespace Tenantry.Application.Accounts;

/// <summary>Token lifetimes, signing-key rotation and sign-in limits (configuration: Tenantry:Auth).</summary>
public sealed class AuthOptions
{
    public string Issuer { get; set; } = "tenantry";
    public string Audience { get; set; } = "tenantry";

    /// <summary>Access tokens are short-lived; the session behind them can be revoked at any time.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a session (its refresh tokens and its cookie) lives after sign-in.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Leeway for clocks that disagree between replicas and clients.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one signing key signs before the next one takes over.</summary>
    public TimeSpan SigningKeyRotation { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// A new key is published (JWKS, every replica's key ring) this long before it signs.
    /// Must exceed <see cref="KeyRingRefreshInterval"/> so no replica meets an unknown key.
    /// </summary>
    public TimeSpan SigningKeyPublishLead { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often each replica re-reads the signing keys from the database.</summary>
    public TimeSpan KeyRingRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Sign-in attempts allowed per account per <see cref="SignInAccountWindow"/>.</summary>
    public int SignInAttemptsPerAccount { get; set; } = 10;

    public TimeSpan SignInAccountWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sign-in, sign-up and refresh requests allowed per client IP per <see cref="AuthRequestsPerIpWindow"/>.</summary>
    public int AuthRequestsPerIp { get; set; } = 30;

    public TimeSpan AuthRequestsPerIpWindow { get; set; } = TimeSpan.FromMinutes(1);
}
