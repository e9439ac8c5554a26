using Microsoft.Net.Http.Headers;

namespace Tenantry.Server.Security;

/// <summary>
/// Headers every answer carries: no MIME sniffing, no framing, no referrer; and answers to
/// authenticated requests are never cached (SYSTEM answers already say so; this covers the rest).
/// Set when the response starts, so that error answers, which clear headers, keep them too.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    private static readonly Func<object, Task> s_apply = state =>
    {
        var http = (HttpContext)state;
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        if (headers.CacheControl.Count == 0 && IsAuthenticated(http.Request))
        {
            headers.CacheControl = "no-store";
        }
        return Task.CompletedTask;
    };

    public Task InvokeAsync(HttpContext http)
    {
        http.Response.OnStarting(s_apply, http);
        return next(http);
    }

    private static bool IsAuthenticated(HttpRequest request) =>
        request.Headers.Authorization.Count > 0
        || request.Headers.Cookie.ToString().Contains(AuthenticationSchemes.SessionCookie + "=", StringComparison.Ordinal)
        || request.Query.ContainsKey(AuthenticationSchemes.DevSessionQuery);
}
