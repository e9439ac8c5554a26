using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Tenantry.Application.Accounts.Authentication;
using Tenantry.Application.Accounts.Tokens;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Server.Configuration;
using Tenantry.Server.Dialects.Shared;

namespace Tenantry.Server.Security;

/// <summary>The two ways a caller proves who they are.</summary>
public static class AuthenticationSchemes
{
    /// <summary>SYSTEM dialect: <c>Authorization: Bearer &lt;access token&gt;</c> (ES256 JWT).</summary>
    public const string AccessToken = "AccessToken";

    /// <summary>Wacht dialect: the session token in the <c>__session</c> cookie, a Bearer header, or (development) a query parameter.</summary>
    public const string SessionToken = "SessionToken";

    public const string SessionCookie = "__session";
    public const string DevSessionQuery = "__dev_session__";
    public const string DevSessionHeader = "X-Development-Session";
}

public sealed class TenantryAuthenticationOptions : AuthenticationSchemeOptions;

/// <summary>
/// Validates the credential of the scheme it runs for and turns it into a principal with
/// the user id, session id and MFA state. A challenge answers 401 in the request's dialect.
/// </summary>
public sealed class TenantryAuthenticationHandler(
    IOptionsMonitor<TenantryAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptions<TenantryOptions> tenantry,
    RequestAuthenticator authenticator)
    : AuthenticationHandler<TenantryAuthenticationOptions>(options, logger, encoder)
{
    // One principal per authenticated session snapshot and scheme, built once: nothing mutates a
    // ticket's principal (no claims transformation), and a new snapshot (refresh, MFA, sign-out)
    // is a new key, so a principal never outlives the facts it states.
    private static readonly ConditionalWeakTable<AuthenticatedSession, ClaimsPrincipal> s_accessTokenPrincipals = new();
    private static readonly ConditionalWeakTable<AuthenticatedSession, ClaimsPrincipal> s_sessionTokenPrincipals = new();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // The same scoped instance the endpoint's use case gets; it opens a context only when a cache misses.
        var db = Context.RequestServices.GetRequiredService<Lazy<TenantryDbContext>>();
        var isAccessToken = Scheme.Name == AuthenticationSchemes.AccessToken;
        var (sessionToken, source) = isAccessToken ? (null, CredentialSource.AuthorizationHeader) : SessionToken();
        var result = isAccessToken
            ? await authenticator.AuthenticateAccessTokenAsync(BearerToken(), db, Context.RequestAborted)
            : await authenticator.AuthenticateSessionTokenAsync(sessionToken, db, Context.RequestAborted);
        if (!result.IsSuccess)
        {
            return AuthenticateResult.Fail("invalid credential");
        }
        if (source == CredentialSource.DevelopmentQuery)
        {
            // Cross-site development: the client keeps the token it is handed back (CONTRACT 6).
            Response.Headers[AuthenticationSchemes.DevSessionHeader] = sessionToken;
        }
        var session = result.Value;
        Context.Features.Set(session);
        // A cookie-authenticated state change must pass the cross-site check (CrossSiteRequestGuard).
        Context.Features.Set(new PresentedCredential(source));
        var principal = isAccessToken
            ? s_accessTokenPrincipals.GetValue(session, static s => TenantryClaims.Principal(AuthenticationSchemes.AccessToken, s.UserId, s.SessionId, s.MfaVerified))
            : s_sessionTokenPrincipals.GetValue(session, static s => TenantryClaims.Principal(AuthenticationSchemes.SessionToken, s.UserId, s.SessionId, s.MfaVerified));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        DialectErrors.WriteAsync(Context, DialectError.Unauthorized);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        DialectErrors.WriteAsync(Context, DialectError.Forbidden);

    // The token where it sits in the header: a known access token is then found without copying it.
    private ReadOnlyMemory<char> BearerToken()
    {
        var header = Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header.AsMemory("Bearer ".Length).Trim() : default;
    }

    private (string? Token, CredentialSource Source) SessionToken()
    {
        if (BearerToken() is { IsEmpty: false } bearer)
        {
            return (bearer.ToString(), CredentialSource.AuthorizationHeader);
        }
        if (Request.Cookies.TryGetValue(AuthenticationSchemes.SessionCookie, out var cookie) && cookie.Length > 0)
        {
            return (cookie, CredentialSource.SessionCookie);
        }
        if (tenantry.Value.Wacht.DevelopmentSessions && Request.Query.TryGetValue(AuthenticationSchemes.DevSessionQuery, out var query))
        {
            return (query.ToString(), CredentialSource.DevelopmentQuery);
        }
        return (null, CredentialSource.SessionCookie);
    }
}

public static class CallerExtensions
{
    /// <summary>The authenticated caller of this request, with the client IP the gateway rules settled on.</summary>
    public static Caller Caller(this HttpContext http)
    {
        var session = http.Features.Get<AuthenticatedSession>()
            ?? throw new InvalidOperationException("The endpoint must require authentication before it asks for the caller.");
        return new Caller(session.UserId, session.SessionId, session.MfaVerified, http.Connection.RemoteIpAddress)
        {
            MembershipsVersion = session.MembershipsVersion,
        };
    }

    public static RequestOrigin Origin(this HttpContext http) =>
        new(http.Connection.RemoteIpAddress, http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null);
}
