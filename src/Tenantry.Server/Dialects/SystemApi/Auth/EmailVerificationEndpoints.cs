using Microsoft.AspNetCore.Authentication;
using Tenantry.Application.Accounts.EmailVerification.Resend;
using Tenantry.Application.Accounts.EmailVerification.Verify;
using Tenantry.Application.Accounts.Me;
using Tenantry.Application.Common;
using Tenantry.Server.Dialects.Envelope;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.SystemApi.Auth;

public sealed record VerifyEmailRequest(string? Token, string? Code);

/// <summary>The caller's own account.</summary>
public sealed record SystemAccount(string UserBizId, string Email, string DisplayName, bool EmailVerified, DateTime CreatedAt)
{
    public static SystemAccount From(AccountView a) => new(a.UserId, a.Email, a.DisplayName, a.EmailVerified, a.CreatedAt);
}

/// <summary>A new verification email is on its way to <c>email</c>; its link and code work until <c>expiresAt</c>.</summary>
public sealed record SystemVerificationSent(string Email, DateTime ExpiresAt)
{
    public static SystemVerificationSent From(VerificationSent s) => new(s.Email, s.ExpiresAt);
}

/// <summary>The caller's account and the proof of its email address (link token or code from the verification email).</summary>
internal static class EmailVerificationEndpoints
{
    public static void Map(RouteGroupBuilder web)
    {
        var auth = web.MapGroup("/auth").WithTags("Accounts");

        auth.MapGet("/me", async (GetAccountHandler handler, HttpContext http, CancellationToken ct) =>
                SystemResults.Ok(SystemAccount.From(await handler.HandleAsync(http.Caller(), ct))))
            .RequireAuthorization(WorkspacePolicies.SystemSession)
            .WithSummary("The caller's account: id, email, display name, whether the email is verified, when it was created")
            .Produces<EnvelopeDoc<SystemAccount>>();

        auth.MapPost("/email/verify", async (VerifyEmailRequest body, VerifyEmailHandler handler, HttpContext http, CancellationToken ct) =>
                SystemResults.From(await handler.HandleAsync(new VerifyEmailCommand(body.Token, body.Code), await OptionalCallerAsync(http), http.Origin(), ct),
                    SystemAccount.From))
            .RequireRateLimiting(RateLimitPolicies.EmailVerification)
            .WithSummary("Verify the account's email address: {token} from the email's link (no sign-in needed), or {code} from the email " +
                "with the account's Bearer token. Single use; expires; a code allows 5 tries. 400 AUTH.EMAIL_VERIFICATION_INVALID otherwise. " +
                "Answers the verified account")
            .Produces<EnvelopeDoc<SystemAccount>>();

        auth.MapPost("/email/verify/resend", async (ResendVerificationHandler handler, HttpContext http, CancellationToken ct) =>
                SystemResults.From(await handler.HandleAsync(http.Caller(), ct), SystemVerificationSent.From))
            .RequireAuthorization(WorkspacePolicies.SystemSession)
            .RequireRateLimiting(RateLimitPolicies.EmailVerificationResend)
            .WithSummary("Send a new verification email; the link and code of earlier ones stop working. Limited per account and per client IP " +
                "(429 4290 with Retry-After); 409 AUTH.EMAIL_ALREADY_VERIFIED when there is nothing to verify")
            .Produces<EnvelopeDoc<SystemVerificationSent>>();
    }

    /// <summary>The caller when the request carries a valid access token; null otherwise (the link's token needs no sign-in).</summary>
    private static async Task<Caller?> OptionalCallerAsync(HttpContext http) =>
        (await http.AuthenticateAsync(AuthenticationSchemes.AccessToken)).Succeeded ? http.Caller() : null;
}
