namespace Tenantry.Client;

/// <summary>Where Tenantry is and how to reach its SYSTEM dialect.</summary>
public sealed class TenantryClientOptions
{
    /// <summary>The server, e.g. <c>https://tenantry.example.com</c>.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The portal access code sent as <c>X-PORTAL-ACCESS-CODE</c> on every SYSTEM request.</summary>
    public string? PortalAccessCode { get; set; }

    /// <summary>Sent as <c>Accept-Language</c>: messages (and enum labels) come back in it (en, zh, zh-Hant, ja, vi).</summary>
    public string? Language { get; set; }

    /// <summary>An access token this close to expiry is refreshed before it is sent.</summary>
    public TimeSpan RefreshBeforeExpiry { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Where the operator API is and its key.</summary>
public sealed class TenantryAdminClientOptions
{
    public Uri? BaseAddress { get; set; }

    /// <summary>Sent as <c>X-Admin-Key</c>.</summary>
    public string? AdminApiKey { get; set; }

    public string? Language { get; set; }
}
