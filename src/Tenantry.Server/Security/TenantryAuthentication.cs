using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Tenantry.Application.Accounts.Authentication;
using Tenantry.Application.Accounts.Tokens;
using Tenantry.Application.Common;
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
    IOptionsMonitor<TenantryAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptions<TenantryOptions> tenantry)
    : AuthenticationHandler<TenantryAuthenticationOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var authenticator = Context.RequestServices.GetRequiredService<RequestAuthenticator>();
        var (sessionToken, source) = Scheme.Name == AuthenticationSchemes.AccessToken ? (null, CredentialSource.AuthorizationHeader) : SessionToken();
        var result = Scheme.Name == AuthenticationSchemes.AccessToken
            ? await authenticator.AuthenticateAccessTokenAsync(BearerToken(), Context.RequestAborted)
            : await authenticator.AuthenticateSessionTokenAsync(sessionToken, Context.RequestAborted);
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
        var principal = TenantryClaims.Principal(Scheme.Name, session.UserId, session.SessionId, session.MfaVerified);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        DialectErrors.WriteAsync(Context, DialectError.Unauthorized);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        DialectErrors.WriteAsync(Context, DialectError.Forbidden);

    private string? BearerToken()
    {
        var header = Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    private (string? Token, CredentialSource Source) SessionToken()
    {
        if (BearerToken() is { Length: > 0 } bearer)
        {
            return (bearer, CredentialSource.AuthorizationHeader);
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
