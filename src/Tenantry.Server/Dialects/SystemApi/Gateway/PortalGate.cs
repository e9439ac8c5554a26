using Microsoft.Extensions.Options;
using Tenantry.Server.Configuration;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.SystemApi.Gateway;

/// <summary>
/// The SYSTEM gateway's first check: every <c>/web/v1</c> request carries a known
/// <c>X-PORTAL-ACCESS-CODE</c>, before the endpoint runs, so unknown routes reveal nothing either;
/// and a browser presenting a portal's code must be on one of that portal's origins.
/// CORS preflights never reach this gate (the CORS middleware answers them first).
/// </summary>
public sealed class PortalGate(RequestDelegate next, IOptions<TenantryOptions> options)
{
    public const string Header = "X-PORTAL-ACCESS-CODE";

    /// <summary>The SYSTEM dialect's CORS policy: the origins of the portals (<see cref="ConfigureCors"/>).</summary>
    public const string CorsPolicy = "system";

    private readonly SecretSet _anyOrigin = new(options.Value.PortalAccessCodes
        .Concat(options.Value.Portals.Values.Where(p => p.AllowedOrigins.Count == 0).Select(p => p.AccessCode))!);

    private readonly (SecretSet Code, HashSet<string> Origins)[] _boundToOrigins = options.Value.Portals.Values
        .Where(p => p.AllowedOrigins.Count > 0 && !string.IsNullOrEmpty(p.AccessCode))
        .Select(p => (new SecretSet([p.AccessCode]), p.AllowedOrigins.ToHashSet(StringComparer.OrdinalIgnoreCase)))
        .ToArray();

    public Task InvokeAsync(HttpContext http)
    {
        if (!http.Request.Path.StartsWithSegments(SystemDialect.Prefix) || IsAdmitted(http.Request))
        {
            return next(http);
        }
        return GatewayErrors.PortalAccessDenied.WriteAsync(http);
    }

    private bool IsAdmitted(HttpRequest request)
    {
        string? code = request.Headers[Header];
        var admitted = _anyOrigin.Contains(code);
        var origin = request.Headers.Origin.ToString();
        // Every portal is compared, matched or not, so the answer time does not tell which codes exist.
        foreach (var (portalCode, origins) in _boundToOrigins)
        {
            admitted |= portalCode.Contains(code) && (origin.Length == 0 || origins.Contains(origin));
        }
        return admitted;
    }

    /// <summary>
    /// Cross-site browsers only from an origin some portal is bound to; bearer tokens, so no
    /// credentials. The headers a front end reads (paging, rate limits) are exposed.
    /// </summary>
    public static void ConfigureCors(Microsoft.AspNetCore.Cors.Infrastructure.CorsPolicyBuilder policy, TenantryOptions options) =>
        policy.WithOrigins(BrowserOrigins(options)).AllowAnyHeader().WithMethods("GET", "POST", "PATCH", "DELETE")
            .WithExposedHeaders(SystemPaging.TotalCountHeader, "Retry-After")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10));

    /// <summary>Refuses to start on a portal that could never admit anyone, or an origin a browser never sends.</summary>
    public static void CheckConfiguration(TenantryOptions options)
    {
        foreach (var (name, portal) in options.Portals)
        {
            if (string.IsNullOrWhiteSpace(portal.AccessCode))
            {
                throw new InvalidOperationException($"Tenantry:Portals:{name}:AccessCode is missing.");
            }
            foreach (var origin in portal.AllowedOrigins)
            {
                // What a browser sends in Origin: scheme, host and port only, without a trailing slash.
                if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                    || !string.Equals(uri.GetLeftPart(UriPartial.Authority), origin, StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException(
                        $"Tenantry:Portals:{name}:AllowedOrigins has '{origin}', which is not an origin such as https://app.example.com.");
                }
            }
        }
    }

    public static bool HasBrowserOrigins(TenantryOptions options) => BrowserOrigins(options).Length > 0;

    private static string[] BrowserOrigins(TenantryOptions options) =>
        options.Portals.Values.SelectMany(p => p.AllowedOrigins).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
}
