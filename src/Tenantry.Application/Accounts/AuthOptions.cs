namespace Tenantry.Application.Accounts;

/// <summary>Token lifetimes, signing-key rotation, MFA and abuse limits (configuration: Tenantry:Auth).</summary>
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

    /// <summary>
    /// PBKDF2-HMAC-SHA512 iterations of new password hashes (ASP.NET Core Identity's default,
    /// 100,000). Hashes made with fewer are upgraded at the next sign-in. Lowering it makes
    /// stolen hashes cheaper to crack: only test suites, which sign up thousands of users, should.
    /// </summary>
    public int PasswordHashIterations { get; set; } = DefaultPasswordHashIterations;

    public const int DefaultPasswordHashIterations = 100_000;

    /// <summary>Sign-in attempts allowed per account per <see cref="SignInAccountWindow"/>.</summary>
    public int SignInAttemptsPerAccount { get; set; } = 10;

    public TimeSpan SignInAccountWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sign-in, sign-up and refresh requests allowed per client IP per <see cref="AuthRequestsPerIpWindow"/>.</summary>
    public int AuthRequestsPerIp { get; set; } = 30;

    public TimeSpan AuthRequestsPerIpWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Second-factor codes allowed per user per <see cref="MfaAccountWindow"/> (challenge, step-up, confirm, disable).</summary>
    public int MfaAttemptsPerAccount { get; set; } = 10;

    public TimeSpan MfaAccountWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>MFA requests allowed per client IP per <see cref="MfaRequestsPerIpWindow"/>.</summary>
    public int MfaRequestsPerIp { get; set; } = 30;

    public TimeSpan MfaRequestsPerIpWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Invitations one user may create per <see cref="InvitationsPerAccountWindow"/>.</summary>
    public int InvitationsPerAccount { get; set; } = 50;

    public TimeSpan InvitationsPerAccountWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Invitation requests allowed per client IP per <see cref="InvitationsPerIpWindow"/>.</summary>
    public int InvitationsPerIp { get; set; } = 100;

    public TimeSpan InvitationsPerIpWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Verification emails a user may have sent again per <see cref="VerificationResendsPerAccountWindow"/>.</summary>
    public int VerificationResendsPerAccount { get; set; } = 5;

    public TimeSpan VerificationResendsPerAccountWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Verification emails sent again per client IP per <see cref="VerificationResendsPerIpWindow"/>.</summary>
    public int VerificationResendsPerIp { get; set; } = 20;

    public TimeSpan VerificationResendsPerIpWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Email verification attempts (link token or code) per client IP per <see cref="VerificationAttemptsPerIpWindow"/>.</summary>
    public int VerificationAttemptsPerIp { get; set; } = 30;

    public TimeSpan VerificationAttemptsPerIpWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Secure-channel handshakes allowed per client IP per <see cref="HandshakesPerIpWindow"/>.</summary>
    public int HandshakesPerIp { get; set; } = 60;

    public TimeSpan HandshakesPerIpWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Consecutive failures (of a password per email, of a second factor per user) before the first lockout.</summary>
    public int LockoutThreshold { get; set; } = 5;

    /// <summary>The first lockout; each further failure doubles it, up to <see cref="LockoutMaximum"/>.</summary>
    public TimeSpan LockoutBase { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan LockoutMaximum { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Failures older than this are forgotten: the count starts again.</summary>
    public TimeSpan LockoutMemory { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long the second step of an MFA sign-in may wait for its code.</summary>
    public TimeSpan MfaChallengeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The issuer name authenticator apps show next to the account.</summary>
    public string TotpIssuer { get; set; } = "Tenantry";
}
