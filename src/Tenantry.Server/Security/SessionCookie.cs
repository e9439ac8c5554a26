using Microsoft.Extensions.Options;
using Tenantry.Application.Accounts;
using Tenantry.Server.Configuration;

namespace Tenantry.Server.Security;

/// <summary>The <c>__session</c> cookie the Wacht dialect authenticates with (CONTRACT 4).</summary>
public static class SessionCookie
{
    public static void Set(HttpContext http, AuthTokens tokens)
    {
        http.Response.Cookies.Append(AuthenticationSchemes.SessionCookie, tokens.SessionToken, Options(new DateTimeOffset(tokens.SessionExpiresAt, TimeSpan.Zero)));
        if (http.RequestServices.GetRequiredService<IOptions<TenantryOptions>>().Value.Wacht.DevelopmentSessions)
        {
            // Development mode only: a cross-site front end cannot read the HttpOnly cookie, so it gets
            // the token here and sends it back as __dev_session__.
            http.Response.Headers[AuthenticationSchemes.DevSessionHeader] = tokens.SessionToken;
        }
    }

    public static void Expire(HttpContext http) =>
        http.Response.Cookies.Delete(AuthenticationSchemes.SessionCookie, Options(expires: null));

    private static CookieOptions Options(DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = true,
        SameSite = SameSiteMode.Lax,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
