using Microsoft.Extensions.Options;
using Tenantry.Server.Configuration;
using Tenantry.Server.Dialects.Shared;

namespace Tenantry.Server.Security;

/// <summary>Where the credential that authenticated a request came from.</summary>
public enum CredentialSource
{
    /// <summary><c>Authorization: Bearer</c>: a page must attach it itself, which cross-site pages cannot do without CORS.</summary>
    AuthorizationHeader,

    /// <summary>The <c>__session</c> cookie: the browser attaches it to any request to this host, whoever's page sends it.</summary>
    SessionCookie,

    /// <summary>The development <c>__dev_session__</c> query parameter: a page must know the token to send it.</summary>
    DevelopmentQuery,
}

/// <summary>Set by the authentication handler on every authenticated request.</summary>
public sealed record PresentedCredential(CredentialSource Source);

/// <summary>
/// The origins a cookie-authenticated state change may come from besides the request's own
/// (<c>Tenantry:PublicOrigin</c>, the service's address as browsers see it behind a proxy, and the
/// front ends of <c>Tenantry:Wacht:AllowedOrigins</c>), and the decision for one request.
/// </summary>
public sealed class TrustedOrigins
{
    private readonly HashSet<string> _origins;

    public TrustedOrigins(IOptions<TenantryOptions> options)
    {
        var tenantry = options.Value;
        _origins = new HashSet<string>(tenantry.Wacht.AllowedOrigins, StringComparer.OrdinalIgnoreCase);
        if (!string.IsNullOrEmpty(tenantry.PublicOrigin))
        {
            _origins.Add(tenantry.PublicOrigin);
        }
    }

    /// <summary>
    /// <c>Origin</c> decides when present: the request's own scheme, host and port, or a trusted origin
    /// (<c>null</c>, from sandboxed frames and some redirects, is neither). Without it, <c>Sec-Fetch-Site</c>:
    /// <c>same-origin</c> or <c>none</c> (typed by the user) pass, <c>same-site</c> (a sibling subdomain) and
    /// <c>cross-site</c> do not. A request with neither header comes from no current browser (they send one or
    /// the other on every cross-site POST) but from a program that holds the cookie itself, which a forged
    /// request gives nothing more: it passes.
    /// </summary>
    public bool Admit(HttpRequest request)
    {
        var origin = request.Headers.Origin;
        if (origin.Count > 0)
        {
            return origin.Count == 1 && origin[0] is { Length: > 0 } value
                && (string.Equals(value, OwnOrigin(request), StringComparison.OrdinalIgnoreCase) || _origins.Contains(value));
        }
        var site = request.Headers["Sec-Fetch-Site"];
        return site.Count == 0 || (site.Count == 1 && site[0] is "same-origin" or "none");
    }

    /// <summary>What a browser on a page of this request's own scheme, host and port sends as <c>Origin</c>.</summary>
    public static string OwnOrigin(HttpRequest request)
    {
        var scheme = request.Scheme;
        var host = request.Host;
        var defaultPort = scheme == Uri.UriSchemeHttps ? 443 : scheme == Uri.UriSchemeHttp ? 80 : -1;
        return host.Port == defaultPort ? $"{scheme}://{host.Host}" : $"{scheme}://{host.Value}";
    }

    /// <summary>True for what a browser sends in <c>Origin</c>: http or https, host and port only, no path or trailing slash.</summary>
    public static bool IsOrigin(string? origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        && string.Equals(uri.GetLeftPart(UriPartial.Authority), origin, StringComparison.OrdinalIgnoreCase);

    /// <summary>Refuses to start on an origin that no browser would ever send, which would refuse every legitimate request.</summary>
    public static void CheckConfiguration(TenantryOptions options)
    {
        if (!string.IsNullOrEmpty(options.PublicOrigin) && !IsOrigin(options.PublicOrigin))
        {
            throw new InvalidOperationException(
                $"Tenantry:PublicOrigin is '{options.PublicOrigin}', which is not an origin such as https://id.example.com (scheme, host and port only).");
        }
        foreach (var origin in options.Wacht.AllowedOrigins)
        {
            if (!IsOrigin(origin))
            {
                throw new InvalidOperationException(
                    $"Tenantry:Wacht:AllowedOrigins has '{origin}', which is not an origin such as https://app.example.com (scheme, host and port only).");
            }
        }
    }
}

/// <summary>
/// CSRF defence for every state change authenticated by a cookie (CONTRACT 8): the Wacht mutations
/// today, a web console's forms tomorrow. Runs after authorization, when the credential's source is
/// known, and before the endpoint reads anything: a non-GET/HEAD/OPTIONS request whose session came
/// from the <c>__session</c> cookie must pass <see cref="TrustedOrigins.Admit"/>, or it is refused with
/// 403 in the request's dialect and the endpoint never runs. Bearer headers and the development query
/// parameter are not attached by browsers on their own, so they are not checked.
/// </summary>
public sealed partial class CrossSiteRequestGuard(RequestDelegate next, TrustedOrigins origins, ILogger<CrossSiteRequestGuard> logger)
{
    public Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || http.Features.Get<PresentedCredential>()?.Source != CredentialSource.SessionCookie
            || origins.Admit(request))
        {
            return next(http);
        }
        LogRefused(logger, request.Method, request.Path, request.Headers.Origin.ToString(), request.Headers["Sec-Fetch-Site"].ToString());
        return DialectErrors.WriteAsync(http, DialectError.CrossSiteRequest);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Refused a cookie-authenticated {Method} {Path} from Origin '{Origin}' (Sec-Fetch-Site '{FetchSite}'); see Tenantry:PublicOrigin and Tenantry:Wacht:AllowedOrigins")]
    private static partial void LogRefused(ILogger logger, string method, PathString path, string origin, string fetchSite);
}
