namespace Tenantry.AspNetCore;

/// <summary>How a product's API trusts Tenantry's access tokens and asks it about workspaces.</summary>
public sealed class TenantryAuthenticationOptions
{
    /// <summary>The Tenantry server, e.g. <c>https://tenantry.example.com</c>: its JWKS and its SYSTEM dialect.</summary>
    public Uri? Authority { get; set; }

    /// <summary>The portal access code for the workspace checks (the SYSTEM dialect asks every request for one).</summary>
    public string? PortalAccessCode { get; set; }

    /// <summary>The tokens' <c>iss</c> (Tenantry:Auth:Issuer).</summary>
    public string Issuer { get; set; } = "tenantry";

    /// <summary>The tokens' <c>aud</c> (Tenantry:Auth:Audience).</summary>
    public string Audience { get; set; } = "tenantry";

    /// <summary>
    /// How long a caller's standing in a workspace (member, role, permissions) is reused before Tenantry is
    /// asked again. This is the bound within which a revoked session, a removed member or a changed role
    /// takes effect on workspace policies. Zero asks on every request.
    /// </summary>
    public TimeSpan AccessCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the signing keys are re-read. Tenantry publishes a new key 10 minutes
    /// (Tenantry:Auth:SigningKeyPublishLead) before it signs with it, so this must stay below that; a token
    /// with an unknown key id also triggers a re-read (at most every <see cref="JwksMinimumRefreshInterval"/>).
    /// </summary>
    public TimeSpan JwksRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan JwksMinimumRefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Route values that name the workspace, tried in order; then the <c>X-Workspace-Id</c> header.</summary>
    public IList<string> WorkspaceRouteValues { get; } = ["workspaceId", "workspaceBizId"];

    public const string WorkspaceHeader = "X-Workspace-Id";
}
