using Tenantry.Data.Providers;

namespace Tenantry.Server.Hosting;

/// <summary>The <c>Tenantry</c> configuration section (CONTRACT 2).</summary>
public sealed class TenantryOptions
{
    public const string Section = "Tenantry";

    /// <summary>Folder for the SQLite file; relative to the working directory.</summary>
    public string DataDir { get; set; } = "./data";

    public DatabaseOptions Database { get; set; } = new();

    /// <summary>Accepted <c>X-PORTAL-ACCESS-CODE</c> values.</summary>
    public List<string> PortalAccessCodes { get; set; } = [];

    /// <summary>Enables the operator API when set.</summary>
    public string? AdminApiKey { get; set; }

    public GatewayOptions Gateway { get; set; } = new();

    public WachtOptions Wacht { get; set; } = new();

    public string ResolvedDataDir => Path.GetFullPath(DataDir);
}

public sealed class GatewayOptions
{
    /// <summary>Proxy addresses or CIDR blocks whose <c>CF-Connecting-IP</c> is trusted. Empty: loopback only.</summary>
    public List<string> TrustForwardedFrom { get; set; } = [];

    public bool RequireSecureChannel { get; set; }
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
}
