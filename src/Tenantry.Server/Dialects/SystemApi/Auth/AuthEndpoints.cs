using Tenantry.Application.Accounts;
using Tenantry.Application.Accounts.Refresh;
using Tenantry.Application.Accounts.SignIn;
using Tenantry.Application.Accounts.SignOut;
using Tenantry.Application.Accounts.SignUp;
using Tenantry.Domain.Common;
using Tenantry.Server.Dialects.Envelope;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.SystemApi.Auth;

public sealed record SignUpRequest(string? Email, string? Password, string? DisplayName);

public sealed record SignInRequest(string? Email, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

/// <summary>CONTRACT 4's token answer.</summary>
public sealed record SystemAuthTokens(string UserBizId, string AccessToken, string RefreshToken, string TokenType, long ExpiresIn, string SessionId)
{
    public static SystemAuthTokens From(AuthTokens tokens) =>
        new(tokens.UserId, tokens.AccessToken, tokens.RefreshToken, "Bearer", (long)tokens.AccessTokenLifetime.TotalSeconds, tokens.SessionId);
}

/// <summary>Sign-up, sign-in, refresh and sign-out (CONTRACT 4). Anonymous ones are rate-limited per client IP.</summary>
internal static class AuthEndpoints
{
    public static void Map(RouteGroupBuilder web)
    {
        var auth = web.MapGroup("/auth").WithTags("Accounts");

        auth.MapPost("/sign-up", async (SignUpRequest body, SignUpHandler handler, HttpContext http, CancellationToken ct) =>
                WithSessionCookie(http, await handler.HandleAsync(new SignUpCommand(body.Email, body.Password, body.DisplayName), http.Origin(), ct)))
            .RequireRateLimiting(RateLimitPolicies.Auth)
            .WithSummary("Create an account and sign in")
            .Produces<EnvelopeDoc<SystemAuthTokens>>();

        auth.MapPost("/sign-in", async (SignInRequest body, SignInHandler handler, HttpContext http, CancellationToken ct) =>
            {
                var result = await handler.HandleAsync(new SignInCommand(body.Email, body.Password), http.Origin(), ct);
                return result is { IsSuccess: true, Value.Challenge: { } challenge }
                    ? SystemResults.Ok(SystemMfaChallenge.From(challenge), MfaEndpoints.ChallengeCode, MfaEndpoints.ChallengeMessage)
                    : WithSessionCookie(http, result.Map(outcome => outcome.Tokens!));
            })
            .RequireRateLimiting(RateLimitPolicies.Auth)
            .WithSummary("Sign in with email and password. A user with MFA gets code AUTH.MFA_REQUIRED and a challengeId instead of tokens: " +
                "complete it with POST /web/v1/auth/mfa/challenge")
            .Produces<EnvelopeDoc<SystemAuthTokens>>()
            .Produces<EnvelopeDoc<SystemMfaChallenge>>();

        auth.MapPost("/refresh", async (RefreshRequest body, RefreshHandler handler, CancellationToken ct) =>
                SystemResults.From(await handler.HandleAsync(new RefreshCommand(body.RefreshToken), ct), SystemAuthTokens.From))
            .RequireRateLimiting(RateLimitPolicies.Auth)
            .WithSummary("Rotate the refresh token; reusing a spent one revokes the session")
            .Produces<EnvelopeDoc<SystemAuthTokens>>();

        auth.MapPost("/sign-out", async (SignOutHandler handler, HttpContext http, CancellationToken ct) =>
            {
                var result = await handler.HandleAsync(http.Caller(), ct);
                SessionCookie.Expire(http);
                return SystemResults.From(result);
            })
            .RequireAuthorization(WorkspacePolicies.SystemSession)
            .WithSummary("Revoke this session at once")
            .Produces<EnvelopeDoc<object>>();
    }

    public static IResult WithSessionCookie(HttpContext http, Result<AuthTokens> result)
    {
        if (result.IsSuccess)
        {
            SessionCookie.Set(http, result.Value);
        }
        return SystemResults.From(result, SystemAuthTokens.From);
    }
}
