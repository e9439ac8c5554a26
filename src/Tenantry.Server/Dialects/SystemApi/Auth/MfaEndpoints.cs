using Tenantry.Application.Accounts.Mfa;
using Tenantry.Application.Accounts.Mfa.CompleteSignIn;
using Tenantry.Application.Accounts.Mfa.Confirm;
using Tenantry.Application.Accounts.Mfa.Disable;
using Tenantry.Application.Accounts.Mfa.Enrol;
using Tenantry.Application.Accounts.Mfa.RegenerateRecoveryCodes;
using Tenantry.Application.Accounts.Mfa.Status;
using Tenantry.Application.Accounts.Mfa.StepUp;
using Tenantry.Application.Accounts.SignIn;
using Tenantry.Server.Dialects.Envelope;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.SystemApi.Auth;

public sealed record MfaCodeRequest(string? Code);

public sealed record MfaProofRequest(string? Code, string? RecoveryCode)
{
    public MfaProof ToProof() => new(Code, RecoveryCode);
}

public sealed record MfaChallengeRequest(string? ChallengeId, string? Code, string? RecoveryCode);

/// <summary>Sign-in's answer for a user with MFA: no tokens yet, a challenge to complete within <c>expiresAt</c>.</summary>
public sealed record SystemMfaChallenge(bool MfaRequired, string ChallengeId, DateTime ExpiresAt, IReadOnlyList<string> Methods)
{
    public static SystemMfaChallenge From(MfaChallengeIssued challenge) => new(true, challenge.ChallengeId, challenge.ExpiresAt, ["totp", "recovery_code"]);
}

/// <summary>Enrolment: the secret (base32), the otpauth:// URI and the same as a QR code (SVG data URI). Shown once.</summary>
public sealed record SystemTotpEnrolment(
    string Secret, string OtpauthUri, string QrCode, string Issuer, string AccountName, int Digits, int Period, string Algorithm)
{
    public static SystemTotpEnrolment From(TotpEnrolment e) =>
        new(e.Secret, e.OtpauthUri, e.QrCode, e.Issuer, e.AccountName, TotpCodes.Digits, TotpCodes.PeriodSeconds, TotpCodes.Algorithm);
}

public sealed record SystemRecoveryCodes(IReadOnlyList<string> RecoveryCodes);

public sealed record SystemMfaStatus(bool Enabled, bool Pending, DateTime? ConfirmedAt, int RecoveryCodesRemaining, bool SessionMfaVerified)
{
    public static SystemMfaStatus From(MfaStatus s) => new(s.Enabled, s.Pending, s.ConfirmedAt, s.RecoveryCodesRemaining, s.SessionVerified);
}

public sealed record SystemStepUp(string SessionId, string AccessToken, string TokenType, long ExpiresIn, bool MfaVerified)
{
    public static SystemStepUp From(StepUpResult r) => new(r.SessionId, r.AccessToken, "Bearer", (long)r.AccessTokenLifetime.TotalSeconds, true);
}

/// <summary>
/// TOTP multi-factor authentication (RFC 6238): enrol → confirm → (sign-in challenge | step-up),
/// disable, recovery codes. Every endpoint is limited per client IP; every code check is also
/// limited per user and subject to the progressive lockout.
/// </summary>
internal static class MfaEndpoints
{
    public const string ChallengeCode = "AUTH.MFA_REQUIRED";
    public const string ChallengeMessage = "Error.MfaRequired";

    public static void Map(RouteGroupBuilder web)
    {
        var mfa = web.MapGroup("/auth/mfa").WithTags("MFA").RequireRateLimiting(RateLimitPolicies.Mfa);

        mfa.MapGet("", async (GetMfaStatusHandler handler, HttpContext http, CancellationToken ct) =>
                SystemResults.Ok(SystemMfaStatus.From(await handler.HandleAsync(http.Caller(), ct))))
            .RequireAuthorization(WorkspacePolicies.SystemSession)
            .WithSummary("MFA state of the caller: enabled, pending enrolment, recovery codes left, whether this session is MFA-verified")
            .Produces<EnvelopeDoc<SystemMfaStatus>>();

        mfa.MapPost("/totp/enroll", async (EnrolTotpHandler handler, HttpContext http, CancellationToken ct) =>
                SystemResults.From(await handler.HandleAsync(http.Caller(), ct), SystemTotpEnrolment.From))
            .RequireAuthorization(WorkspacePolicies.SystemSession)
            .WithSummary("Start TOTP enrolment: returns the secret, the otpauth:// URI and a QR code (SVG data URI). " +
                "Pending until confirmed; enrolling again replaces a pending secret. 409 AUTH.MFA_ALREADY_ENABLED when active")
            .Produces<EnvelopeDoc<SystemTotpEnrolment>>();

        mfa.MapPost("/totp/confirm", async (MfaCodeRequest body, ConfirmTotpHandler handler, HttpContext http, CancellationToken ct) =>
                SystemResults.From(await handler.HandleAsync(new ConfirmTotpCommand(body.Code), http.Caller(), ct), codes => new SystemRecoveryCodes(codes)))
            .RequireAuthorization(WorkspacePolicies.SystemSession)
            .WithSummary("Activate TOTP with a current code {code}. Returns 10 one-time recovery codes, shown only now. " +
                "This session becomes MFA-verified")
            .Produces<EnvelopeDoc<SystemRecoveryCodes>>();

        mfa.MapPost("/totp/disable", async (MfaProofRequest body, DisableTotpHandler handler, HttpContext http, CancellationToken ct) =>
                SystemResults.From(await handler.HandleAsync(body.ToProof(), http.Caller(), ct)))
            .RequireAuthorization(WorkspacePolicies.SystemSession)
            .WithSummary("Turn TOTP off; needs {code} (current TOTP code) or {recoveryCode}. Recovery codes are deleted")
            .Produces<EnvelopeDoc<object>>();

        mfa.MapPost("/recovery-codes", async (MfaProofRequest body, RegenerateRecoveryCodesHandler handler, HttpContext http, CancellationToken ct) =>
                SystemResults.From(await handler.HandleAsync(body.ToProof(), http.Caller(), ct), codes => new SystemRecoveryCodes(codes)))
            .RequireAuthorization(WorkspacePolicies.SystemSession)
            .WithSummary("Replace the recovery codes (the old ones stop working); needs {code} or {recoveryCode}")
            .Produces<EnvelopeDoc<SystemRecoveryCodes>>();

        mfa.MapPost("/step-up", async (MfaProofRequest body, StepUpHandler handler, HttpContext http, CancellationToken ct) =>
                SystemResults.From(await handler.HandleAsync(body.ToProof(), http.Caller(), ct), SystemStepUp.From))
            .RequireAuthorization(WorkspacePolicies.SystemSession)
            .WithSummary("Step-up: prove {code} or {recoveryCode} on the current session, which becomes MFA-verified " +
                "(workspaces enforcing MFA become enterable). Returns a new access token with amr [pwd, otp]")
            .Produces<EnvelopeDoc<SystemStepUp>>();

        mfa.MapPost("/challenge", async (MfaChallengeRequest body, CompleteMfaSignInHandler handler, HttpContext http, CancellationToken ct) =>
                AuthEndpoints.WithSessionCookie(http,
                    await handler.HandleAsync(new CompleteMfaSignInCommand(body.ChallengeId, body.Code, body.RecoveryCode), http.Origin(), ct)))
            .WithSummary("Complete an MFA sign-in: {challengeId} from sign-in (valid 5 minutes, 5 tries) and {code} or {recoveryCode}. " +
                "Returns the sign-in tokens of a new MFA-verified session. 401 AUTH.MFA_CHALLENGE_INVALID when the challenge is unknown, " +
                "expired or used; 400 AUTH.INVALID_MFA_CODE for a wrong code")
            .Produces<EnvelopeDoc<SystemAuthTokens>>();
    }
}
