using Tenantry.Application.Accounts.ChangePassword;
using Tenantry.Application.Accounts.EmailVerification.Resend;
using Tenantry.Application.Accounts.EmailVerification.Verify;
using Tenantry.Application.Accounts.Me;
using Tenantry.Application.Accounts.Mfa;
using Tenantry.Application.Accounts.Mfa.Confirm;
using Tenantry.Application.Accounts.Mfa.Disable;
using Tenantry.Application.Accounts.Mfa.Enrol;
using Tenantry.Application.Accounts.Mfa.RegenerateRecoveryCodes;
using Tenantry.Application.Accounts.Mfa.Status;
using Tenantry.Application.Common;
using Tenantry.Domain.Common;
using Tenantry.Server.Dialects.WachtApi.Auth;
using Tenantry.Server.Dialects.WachtApi.Users;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.WachtApi.AccountSecurity;

/// <summary>Enrolment: Wacht's <c>UserAuthenticator</c> with the secret, shown once (<c>totp_secret</c> base32, <c>otp_url</c> the otpauth:// URI).</summary>
public sealed record WachtAuthenticatorEnrolment(string Id, DateTime CreatedAt, string TotpSecret, string OtpUrl);

/// <summary>The authenticator, now active, and the backup codes its confirmation issued (shown only now).</summary>
public sealed record WachtAuthenticatorVerified(WachtAuthenticator Authenticator, IReadOnlyList<string> BackupCodes);

/// <summary>
/// The account page's security and email sections (<c>useUser</c>) over the SYSTEM dialect's MFA and email-verification use
/// cases, with their rules: turning the authenticator off or replacing the backup codes needs a current code (<c>code</c>: six
/// digits from the app, or a backup code; <c>backup_code</c> names one explicitly), as <c>/web/v1/auth/mfa/*</c> does, so a stolen
/// session alone cannot. An account has one authenticator and one email address, each with an id derived from the user's; any
/// other id is 404, as another account's.
/// </summary>
internal static class WachtSecurityEndpoints
{
    public static void Map(RouteGroupBuilder wacht)
    {
        MapAuthenticator(wacht);
        MapEmailAddresses(wacht);

        wacht.MapPost("/me/update-password", (ChangePasswordHandler handler, WachtSessions sessions, HttpContext http, CancellationToken ct) =>
                WachtResults.MutationAsync(http, sessions, input =>
                    handler.HandleAsync(new ChangePasswordCommand(input["current_password"], input["new_password"]), http.Caller(), ct),
                    answerWithSession: false))
            .RequireRateLimiting(RateLimitPolicies.Auth)
            .WithSummary("Change the password: current_password (checked as a sign-in checks it: a wrong one 401 and counts toward the " +
                "lockout) and new_password (the sign-up rules). The account's other sessions are signed out")
            .Produces<WachtEnvelopeDoc<object>>();
    }

    private static void MapAuthenticator(RouteGroupBuilder wacht)
    {
        wacht.MapPost("/me/authenticator", async (EnrolTotpHandler handler, WachtSessions sessions, TimeProvider clock, HttpContext http, CancellationToken ct) =>
            {
                var caller = http.Caller();
                var enrolled = await handler.HandleAsync(caller, ct);
                return enrolled.IsSuccess
                    ? WachtResults.Ok(new WachtAuthenticatorEnrolment(WachtAuthenticator.IdOf(caller.UserId), clock.GetUtcNow().UtcDateTime,
                        enrolled.Value.Secret, enrolled.Value.OtpauthUri), await sessions.CurrentAsync(http))
                    : WachtResults.Error(enrolled.Error);
            })
            .RequireRateLimiting(RateLimitPolicies.Mfa)
            .WithSummary("Start enrolling a TOTP authenticator: its secret and otpauth:// URI, pending until verified; 409 when one is active")
            .Produces<WachtEnvelopeDoc<WachtAuthenticatorEnrolment>>();

        wacht.MapPost("/me/authenticator/attempt-verification", async (ConfirmTotpHandler handler, GetMfaStatusHandler status, WachtSessions sessions,
                HttpContext http, CancellationToken ct) =>
            {
                var (input, unreadable) = await WachtInput.ReadAsync(http, "codes");
                if (unreadable is not null)
                {
                    return unreadable;
                }
                var caller = http.Caller();
                if (input!["authenticator_id"] is { Length: > 0 } id && id != WachtAuthenticator.IdOf(caller.UserId))
                {
                    return WachtResults.Error(new NotFound());
                }
                // The SDK asks for two consecutive codes; the newer one is the likelier to be current, and one proves the app.
                var codes = input.All("codes").Where(c => c.Length > 0).ToList();
                if (codes.Count == 0)
                {
                    return WachtResults.Error(new ValidationFailed(new FieldError("codes", ValidationCodes.Required)));
                }
                var confirmed = await handler.HandleAsync(new ConfirmTotpCommand(codes[^1]), caller, ct);
                if (!confirmed.IsSuccess)
                {
                    return WachtResults.Error(confirmed.Error);
                }
                var confirmedAt = (await status.HandleAsync(caller, ct)).ConfirmedAt!.Value;
                var authenticator = new WachtAuthenticator(WachtAuthenticator.IdOf(caller.UserId), confirmedAt);
                return WachtResults.Ok(new WachtAuthenticatorVerified(authenticator, confirmed.Value), await sessions.CurrentAsync(http));
            })
            .RequireRateLimiting(RateLimitPolicies.Mfa)
            .WithSummary("Activate the pending authenticator with a current code (form field codes, repeated; the last one is checked). " +
                "Answers the backup codes it issued, shown only now; this session becomes MFA-verified")
            .Produces<WachtEnvelopeDoc<WachtAuthenticatorVerified>>();

        wacht.MapPost("/me/authenticator/{id}/delete", (string id, DisableTotpHandler handler, WachtSessions sessions, HttpContext http, CancellationToken ct) =>
                WachtResults.MutationAsync(http, sessions, input => id == WachtAuthenticator.IdOf(http.Caller().UserId)
                    ? handler.HandleAsync(Proof(input), http.Caller(), ct)
                    : Task.FromResult<Result>(new NotFound()), answerWithSession: false))
            .RequireRateLimiting(RateLimitPolicies.Mfa)
            .WithSummary("Turn the authenticator off; needs code (a current authenticator code or a backup code). The backup codes are deleted")
            .Produces<WachtEnvelopeDoc<object>>();

        wacht.MapPost("/me/backup-codes", RegenerateBackupCodesAsync)
            .RequireRateLimiting(RateLimitPolicies.Mfa)
            .WithSummary("New backup codes (the old ones stop working); needs code (a current authenticator code or a backup code)")
            .Produces<WachtEnvelopeDoc<List<string>>>();

        wacht.MapPost("/me/backup-codes/regenerate", RegenerateBackupCodesAsync)
            .RequireRateLimiting(RateLimitPolicies.Mfa)
            .WithSummary("The same as POST /me/backup-codes: new backup codes, for a current code")
            .Produces<WachtEnvelopeDoc<List<string>>>();
    }

    private static async Task<IResult> RegenerateBackupCodesAsync(RegenerateRecoveryCodesHandler handler, WachtSessions sessions, HttpContext http, CancellationToken ct)
    {
        var (input, unreadable) = await WachtInput.ReadAsync(http);
        if (unreadable is not null)
        {
            return unreadable;
        }
        var codes = await handler.HandleAsync(Proof(input!), http.Caller(), ct);
        return codes.IsSuccess ? WachtResults.Ok(codes.Value.ToList(), await sessions.CurrentAsync(http)) : WachtResults.Error(codes.Error);
    }

    /// <summary>A second factor from <c>code</c> (read as the app's code or a backup code by its form) or <c>backup_code</c>.</summary>
    private static MfaProof Proof(WachtInput input) =>
        input["backup_code"] is { Length: > 0 } backup ? new MfaProof(null, backup) : WachtSecondFactor.Proof(input["code"]);

    private static void MapEmailAddresses(RouteGroupBuilder wacht)
    {
        wacht.MapGet("/me/email-addresses", async (GetAccountHandler account, WachtSessions sessions, HttpContext http, CancellationToken ct) =>
                WachtResults.Ok(new List<WachtEmailAddress> { Address(await account.HandleAsync(http.Caller(), ct)) }, await sessions.CurrentAsync(http)))
            .WithSummary("The account's email addresses: its one address, primary, and whether it is verified")
            .Produces<WachtEnvelopeDoc<List<WachtEmailAddress>>>();

        wacht.MapGet("/me/email-addresses/{id}", (string id, GetAccountHandler account, WachtSessions sessions, HttpContext http, CancellationToken ct) =>
                OwnAddressAsync<WachtEmailAddress>(id, http, sessions, async caller => Address(await account.HandleAsync(caller, ct))))
            .WithSummary("One of the account's email addresses; 404 for any other id")
            .Produces<WachtEnvelopeDoc<WachtEmailAddress>>();

        wacht.MapPost("/me/email-addresses", () => WachtErrors.OneEmailAddress)
            .WithSummary("Adding an address: an account has exactly one, so this answers 400")
            .Produces<WachtEnvelopeDoc<WachtEmailAddress>>();

        wacht.MapPost("/me/email-addresses/{id}/delete", (string id, HttpContext http) =>
                id == WachtEmailAddress.IdOf(http.Caller().UserId) ? WachtErrors.OneEmailAddress : WachtResults.Error(new NotFound()))
            .WithSummary("Removing an address: the account's one address cannot be removed (400); 404 for any other id")
            .Produces<WachtEnvelopeDoc<object>>();

        wacht.MapPost("/me/email-addresses/{id}/make-primary", (string id, GetAccountHandler account, WachtSessions sessions, HttpContext http,
                CancellationToken ct) => OwnAddressAsync<WachtEmailAddress>(id, http, sessions, async caller => Address(await account.HandleAsync(caller, ct))))
            .WithSummary("The account's one address is its primary one already: answers it unchanged; 404 for any other id")
            .Produces<WachtEnvelopeDoc<WachtEmailAddress>>();

        wacht.MapPost("/me/email-addresses/{id}/prepare-verification", (string id, ResendVerificationHandler handler, WachtSessions sessions,
                HttpContext http, CancellationToken ct) =>
                OwnAddressAsync(id, http, sessions, async caller =>
                    (await handler.HandleAsync(caller, ct)).Map(sent => WachtVerificationPrepared.EmailCode(sent.Email))))
            .RequireRateLimiting(RateLimitPolicies.EmailVerificationResend)
            .WithSummary("Send a new verification email with a code (earlier ones stop working); limited per account and client IP; " +
                "409 when the address is verified")
            .Produces<WachtEnvelopeDoc<WachtVerificationPrepared>>();

        wacht.MapPost("/me/email-addresses/{id}/attempt-verification", (string id, VerifyEmailHandler handler, WachtSessions sessions,
                HttpContext http, CancellationToken ct) =>
                OwnAddressAsync(id, http, sessions, async caller =>
                    (await handler.HandleAsync(new VerifyEmailCommand(null, http.Request.Query["code"].ToString()), caller, http.Origin(), ct))
                        .Map(Address)))
            .RequireRateLimiting(RateLimitPolicies.EmailVerification)
            .WithSummary("Verify the address with the code from its email (query parameter code, as the SDK sends it): single use, " +
                "5 tries, 400 otherwise. Answers the verified address")
            .Produces<WachtEnvelopeDoc<WachtEmailAddress>>();
    }

    private static WachtEmailAddress Address(AccountView account) => WachtEmailAddress.From(account.UserId, account.Email, account.EmailVerifiedAt);

    /// <summary>Runs <paramref name="act"/> when <paramref name="id"/> is the caller's address; 404 otherwise. Answers with the session after it.</summary>
    private static async Task<IResult> OwnAddressAsync<T>(string id, HttpContext http, WachtSessions sessions, Func<Caller, Task<Result<T>>> act)
    {
        var caller = http.Caller();
        if (id != WachtEmailAddress.IdOf(caller.UserId))
        {
            return WachtResults.Error(new NotFound());
        }
        var result = await act(caller);
        return result.IsSuccess ? WachtResults.Ok(result.Value, await sessions.CurrentAsync(http)) : WachtResults.Error(result.Error);
    }
}
