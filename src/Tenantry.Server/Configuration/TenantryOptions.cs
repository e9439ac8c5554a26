using Tenantry.Data.Providers;

namespace Tenantry.Server.Configuration;

/// <summary>The <c>Tenantry</c> configuration section (CONTRACT 2).</summary>
public sealed class TenantryOptions
{
    public const string Section = "Tenantry";

    /// <summary>Folder for the SQLite file; relative to the working directory.</summary>
    public string DataDir { get; set; } = "./data";

    public DatabaseOptions Database { get; set; } = new();

    /// <summary>Accepted <c>X-PORTAL-ACCESS-CODE</c> values, from any origin and without CORS (CONTRACT 2).</summary>
    public List<string> PortalAccessCodes { get; set; } = [];

    /// <summary>Named portals whose code is bound to the browser origins of their front end (<c>Tenantry:Portals:&lt;name&gt;</c>).</summary>
    public Dictionary<string, PortalOptions> Portals { get; set; } = [];

    /// <summary>
    /// The service's origin as browsers see it (<c>https://id.example.com</c>), when a proxy in front
    /// changes the scheme, host or port the server sees. Cookie-authenticated state changes are
    /// accepted from it, from the request's own origin and from <see cref="WachtOptions.AllowedOrigins"/>.
    /// </summary>
    public string? PublicOrigin { get; set; }

    /// <summary>Enables the operator API when set; at least <see cref="OperatorOptions.MinimumKeyLength"/> characters.</summary>
    public string? AdminApiKey { get; set; }

    public OperatorOptions Operator { get; set; } = new();

    public GatewayOptions Gateway { get; set; } = new();

    public WachtOptions Wacht { get; set; } = new();

    public DataProtectionSettings DataProtection { get; set; } = new();

    public string ResolvedDataDir => Path.GetFullPath(DataDir);
}

/// <summary>
/// A front end of the SYSTEM dialect. Its code is accepted only from its own origins when a
/// browser sends one (server-side callers send no <c>Origin</c>), and those origins get CORS
/// answers, so a code lifted from one front end cannot be replayed from another site's pages.
/// </summary>
public sealed class PortalOptions
{
    /// <summary>The portal's <c>X-PORTAL-ACCESS-CODE</c>.</summary>
    public string? AccessCode { get; set; }

    /// <summary>Browser origins (scheme, host and port) the code is accepted from. Empty: any origin, no CORS.</summary>
    public List<string> AllowedOrigins { get; set; } = [];
}

/// <summary>The operator API's defences (<c>Tenantry:Operator</c>); its key is <see cref="TenantryOptions.AdminApiKey"/>.</summary>
public sealed class OperatorOptions
{
    /// <summary>Shorter keys stop the server at start-up: the key is the operator's only credential.</summary>
    public const int MinimumKeyLength = 32;

    /// <summary>Wrong keys accepted per client IP and <see cref="WrongKeysWindow"/>; beyond that the address gets 429 until the window ends.</summary>
    public int WrongKeysPerIp { get; set; } = 10;

    public TimeSpan WrongKeysWindow { get; set; } = TimeSpan.FromMinutes(15);
}

public sealed class GatewayOptions
{
    /// <summary>Proxy addresses or CIDR blocks whose <c>CF-Connecting-IP</c> is trusted. Empty: loopback only.</summary>
    public List<string> TrustForwardedFrom { get; set; } = [];

    /// <summary>Every SYSTEM mutation except the handshake must arrive over the secure channel (CONTRACT 3).</summary>
    public bool RequireSecureChannel { get; set; }

    /// <summary>How long a secure channel lasts after its handshake.</summary>
    public TimeSpan SecureChannelLifetime { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// The Data Protection key ring (it encrypts signing keys, TOTP secrets and channel keys at rest)
/// lives in the database for every replica to share. A certificate, when configured, encrypts
/// the key ring itself, so that a database backup alone reveals none of those secrets.
/// </summary>
public sealed class DataProtectionSettings
{
    /// <summary>PKCS#12 (.pfx) file with the certificate and private key that encrypt the key ring.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }
}

public sealed class WachtOptions
{
    /// <summary>
    /// Cross-site development mode: accept the session token in the <c>__dev_session__</c> query
    /// parameter and echo it in <c>X-Development-Session</c>. Never enable in production.
    /// </summary>
    public bool DevelopmentSessions { get; set; }

    /// <summary>The deployment id reported on segments (Wacht <c>deployment_id</c>).</summary>
    public string DeploymentId { get; set; } = "tenantry";

    /// <summary>
    /// Browser origins allowed to call the Wacht endpoints cross-site (with credentials). Empty:
    /// no CORS headers at all, so only same-origin front ends (or a proxy) can use the dialect.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Requests per minute and client IP on the Wacht endpoints; beyond it they answer 429.</summary>
    public int RequestsPerMinutePerIp { get; set; } = 600;

    /// <summary>The proof-of-work check of the sign-in and sign-up forms (<c>/captcha/*</c>, the forms' <c>challenge_token</c>).</summary>
    public Tenantry.Application.Accounts.Captcha.CaptchaOptions Captcha { get; set; } = new();

    /// <summary>What <c>GET /deployment</c> tells Wacht's SDK about the pages around it (<c>ui_settings</c>).</summary>
    public WachtUiOptions Ui { get; set; } = new();
}

/// <summary>
/// <c>Tenantry:Wacht:Ui</c>: the <c>ui_settings</c> of Wacht's deployment object. Page addresses may be
/// absolute or start with <c>/</c> (then they are on the service's own origin, <see cref="TenantryOptions.PublicOrigin"/>
/// or the request's); empty ones are left for the app to decide.
/// </summary>
public sealed class WachtUiOptions
{
    public string AppName { get; set; } = "Tenantry";

    /// <summary>Where the SDK sends a visitor to sign in: the web console's page unless configured.</summary>
    public string SignInPageUrl { get; set; } = "/console/sign-in";

    public string SignUpPageUrl { get; set; } = "/console/sign-up";

    public string AfterSignInRedirectUrl { get; set; } = "";

    public string AfterSignUpRedirectUrl { get; set; } = "";

    /// <summary>Where the SDK goes after signing out (both of Wacht's "one" and "all" cases: Tenantry has one sign-in per session).</summary>
    public string AfterSignOutPageUrl { get; set; } = "";

    public string UserProfileUrl { get; set; } = "";

    public string OrganizationProfileUrl { get; set; } = "";

    public string SupportPageUrl { get; set; } = "";

    public string PrivacyPolicyUrl { get; set; } = "";

    public string TosPageUrl { get; set; } = "";

    public string LogoImageUrl { get; set; } = "";

    public string FaviconImageUrl { get; set; } = "";
}
