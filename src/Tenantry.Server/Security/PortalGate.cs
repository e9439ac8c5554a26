using Microsoft.Extensions.Options;
using Tenantry.Server.Dialects.SystemApi;
using Tenantry.Server.Hosting;

namespace Tenantry.Server.Security;

/// <summary>
/// The SYSTEM gateway's first check: every <c>/web/v1</c> request carries a known
/// <c>X-PORTAL-ACCESS-CODE</c>, before routing, so unknown routes reveal nothing either.
/// </summary>
public sealed class PortalGate(RequestDelegate next, IOptions<TenantryOptions> options)
{
    public const string Header = "X-PORTAL-ACCESS-CODE";

    private readonly SecretSet _codes = new(options.Value.PortalAccessCodes);

    public Task InvokeAsync(HttpContext http)
    {
        if (!http.Request.Path.StartsWithSegments(DialectRouting.SystemPrefix) || _codes.Contains(http.Request.Headers[Header]))
        {
            return next(http);
        }
        return SystemErrors.PortalAccessDenied.WriteAsync(http);
    }
}
