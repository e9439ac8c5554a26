using Tenantry.Application.Accounts;
using Tenantry.Application.Accounts.Authentication;
using Tenantry.Application.Accounts.Captcha;
using Tenantry.Application.Accounts.EmailVerification.Resend;
using Tenantry.Application.Accounts.EmailVerification.Verify;
using Tenantry.Application.Accounts.Mfa.CompleteSignIn;
using Tenantry.Application.Accounts.PasswordReset.Request;
using Tenantry.Application.Accounts.PasswordReset.Reset;
using Tenantry.Application.Accounts.PasswordReset.VerifyCode;
using Tenantry.Application.Accounts.SignIn;
using Tenantry.Application.Accounts.SignUp;
using Tenantry.Application.Common;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Common;
using Tenantry.Server.Dialects.Shared;
using Tenantry.Server.Dialects.WachtApi.AccountSecurity;
using Tenantry.Server.Security;

namespace Tenantry.Server.Dialects.WachtApi.Auth;

/// <summary>
/// Wacht's sign-in and sign-up forms (<c>useSignIn</c>, <c>useSignUp</c>) over the SYSTEM dialect's own use cases, so accounts,
/// sessions, lockouts and per-account throttles are the same whichever dialect a browser uses; the per-IP limits are the same
/// named policies too. Bodies are forms (as the SDK sends them) or JSON; the attempt's id and kind come in the query string.
/// Every answer's <c>data</c> is the session (as the SDK reads it), with the attempt in <c>signin_attempts</c> or
/// <c>signup_attempts</c>; a completed one comes with the <c>__session</c> cookie, as SYSTEM's sign-in sets it.
/// The forms' <c>challenge_token</c> (a pass from <c>/captcha/redeem</c>) is checked on sign-in, sign-up and
/// prepare-verification when sent, and required on sign-in and sign-up when <c>Tenantry:Wacht:Captcha:Required</c> is set.
/// </summary>
internal static class WachtAuthEndpoints
{
    private const string SignInType = "signin";
    private const string SignUpType = "signup";
    private const string EmailCode = "email_otp";
    private const string ChallengeToken = "challenge_token";

    public static void Map(RouteGroupBuilder anonymous)
    {
        var auth = anonymous.MapGroup("/auth");

        auth.MapPost("/identify", IdentifyAsync)
            .RequireRateLimiting(RateLimitPolicies.Auth)
            .WithSummary("How an identifier (form field identifier: an email address) signs in: always the password, whether an account has it or not")
            .Produces<WachtEnvelopeDoc<WachtIdentifyResult>>();

        auth.MapPost("/signin", SignInAsync)
            .RequireRateLimiting(RateLimitPolicies.Auth)
            .WithSummary("Sign in with email and password (strategy plain_email). An account with an authenticator gets an attempt at " +
                "current_step verify_second_factor: complete it with /auth/attempt-verification. Other strategies answer 400")
            .Produces<WachtEnvelopeDoc<WachtSession>>();

        auth.MapPost("/signup", SignUpAsync)
            .RequireRateLimiting(RateLimitPolicies.Auth)
            .WithSummary("Create an account (email, password, first_name, last_name: the display name) and sign in; a verification email " +
                "with a code is queued. The signup attempt is completed at once: an unverified address may sign in")
            .Produces<WachtEnvelopeDoc<WachtSession>>();

        auth.MapPost("/prepare-verification", PrepareVerificationAsync)
            .RequireRateLimiting(RateLimitPolicies.EmailVerificationResend)
            .WithSummary("identifier_type=signup, strategy=email_otp: send the signed-in sign-up's address a new verification email " +
                "(earlier codes stop working). Tenantry's sign-in asks for no email code: other strategies answer 400")
            .Produces<WachtEnvelopeDoc<WachtVerificationPrepared>>();

        auth.MapPost("/forgot-password", ForgotPasswordAsync)
            .RequireRateLimiting(RateLimitPolicies.Auth)
            .WithSummary("email alone: email a 6-digit reset code (the answer, {}, is the same whether the address has an account or not; " +
                "asking again replaces the code). email and otp: the code, answering {token} for /auth/reset-password; 5 tries per code")
            .Produces<WachtEnvelopeDoc<WachtPasswordResetToken>>();

        auth.MapPost("/reset-password", ResetPasswordAsync)
            .RequireRateLimiting(RateLimitPolicies.Auth)
            .WithSummary("token (from /auth/forgot-password) and password: set the new password once, sign every session of the account out, " +
                "clear its sign-in lockout, and sign in as /auth/signin does (a second factor is still owed when the account has one)")
            .Produces<WachtEnvelopeDoc<WachtSession>>();

        auth.MapPost("/attempt-verification", AttemptVerificationAsync)
            .RequireRateLimiting(RateLimitPolicies.Mfa)
            .WithSummary("Complete an attempt with verification_code: identifier_type=signin, the sign-in's second factor (a 6-digit " +
                "authenticator code or a backup code), starting the session; identifier_type=signup, the code of the verification email")
            .Produces<WachtEnvelopeDoc<WachtSession>>();
    }

    private static async Task<IResult> IdentifyAsync(WachtSessions sessions, HttpContext http)
    {
        var (input, unreadable) = await WachtInput.ReadAsync(http);
        if (unreadable is not null)
        {
            return unreadable;
        }
        var identifier = input!["identifier"];
        if (string.IsNullOrWhiteSpace(identifier))
        {
            return WachtResults.Error(new ValidationFailed(new FieldError("identifier", ValidationCodes.Required)));
        }
        if (!EmailAddress.TryParse(identifier, out _))
        {
            // Tenantry has no usernames or phone numbers to look up.
            return WachtErrors.MethodUnavailable;
        }
        return WachtResults.Ok(new WachtIdentifyResult("password"), await sessions.CurrentOrAnonymousAsync(http));
    }

    private static async Task<IResult> SignInAsync(
        SignInHandler handler, CaptchaPasses captcha, WachtSessions sessions, HttpContext http, CancellationToken ct)
    {
        var (input, unreadable) = await WachtInput.ReadAsync(http);
        if (unreadable is not null)
        {
            return unreadable;
        }
        if (input!["strategy"] is { Length: > 0 } strategy && strategy != WachtSigninAttempt.PasswordMethod
            || !string.IsNullOrEmpty(input["username"]) || !string.IsNullOrEmpty(input["phone"]))
        {
            return WachtErrors.MethodUnavailable;
        }
        if (await captcha.UseAsync(input[ChallengeToken], ct) is { IsSuccess: false } refused)
        {
            return WachtResults.Error(refused.Error!);
        }
        var email = input["email"]?.Trim();
        var result = await handler.HandleAsync(new SignInCommand(email, input["password"]), http.Origin(), ct);
        return result.IsSuccess ? await SignInAnswerAsync(http, sessions, result.Value, email!) : WachtResults.Error(result.Error);
    }

    /// <summary>A proven password's sign-in: the attempt that owes the second factor, or the completed one with its session.</summary>
    private static async Task<IResult> SignInAnswerAsync(HttpContext http, WachtSessions sessions, SignInOutcome outcome, string email)
    {
        if (outcome.Challenge is { } challenge)
        {
            var current = await sessions.CurrentOrAnonymousAsync(http);
            return Answer(current with { SigninAttempts = [WachtSigninAttempt.SecondFactorOwed(challenge.ChallengeId, email, challenge.ExpiresAt)] });
        }
        var tokens = outcome.Tokens!;
        var session = await SignedInAsync(http, tokens, sessions);
        return Answer(session with { SigninAttempts = [WachtSigninAttempt.CompletedByPassword(email, tokens.SessionId, tokens.UserId, tokens.SessionExpiresAt)] });
    }

    private static async Task<IResult> ForgotPasswordAsync(
        RequestPasswordResetHandler request, VerifyPasswordResetCodeHandler verify, WachtSessions sessions, HttpContext http, CancellationToken ct)
    {
        var (input, unreadable) = await WachtInput.ReadAsync(http);
        if (unreadable is not null)
        {
            return unreadable;
        }
        var email = input!["email"]?.Trim();
        if (input["otp"] is { } otp)
        {
            var verified = await verify.HandleAsync(new VerifyPasswordResetCodeCommand(email, otp), ct);
            return verified.IsSuccess
                ? WachtResults.Ok(new WachtPasswordResetToken(verified.Value.Token), await sessions.CurrentOrAnonymousAsync(http))
                : WachtResults.Error(verified.Error);
        }
        var requested = await request.HandleAsync(new RequestPasswordResetCommand(email), ct);
        return requested.IsSuccess
            ? WachtResults.Ok(new WachtNothing(), await sessions.CurrentOrAnonymousAsync(http))
            : WachtResults.Error(requested.Error);
    }

    private static async Task<IResult> ResetPasswordAsync(ResetPasswordHandler handler, WachtSessions sessions, HttpContext http, CancellationToken ct)
    {
        var (input, unreadable) = await WachtInput.ReadAsync(http);
        if (unreadable is not null)
        {
            return unreadable;
        }
        var result = await handler.HandleAsync(new ResetPasswordCommand(input!["token"], input["password"]), http.Origin(), ct);
        return result.IsSuccess ? await SignInAnswerAsync(http, sessions, result.Value.SignIn, result.Value.Email) : WachtResults.Error(result.Error);
    }

    private static async Task<IResult> SignUpAsync(
        SignUpHandler handler, CaptchaPasses captcha, WachtSessions sessions, HttpContext http, CancellationToken ct)
    {
        var (input, unreadable) = await WachtInput.ReadAsync(http);
        if (unreadable is not null)
        {
            return unreadable;
        }
        if (!string.IsNullOrEmpty(input!["username"]) || !string.IsNullOrEmpty(input["phone_number"]))
        {
            return WachtErrors.MethodUnavailable;
        }
        if (await captcha.UseAsync(input[ChallengeToken], ct) is { IsSuccess: false } refused)
        {
            return WachtResults.Error(refused.Error!);
        }
        var (first, last) = (input["first_name"]?.Trim() ?? "", input["last_name"]?.Trim() ?? "");
        // One display name, as POST /me keeps it: the first name, then the last.
        var displayName = string.Join(' ', new[] { first, last }.Where(n => n.Length > 0));
        var email = input["email"]?.Trim();
        var result = await handler.HandleAsync(
            new SignUpCommand(email, input["password"], displayName.Length > 0 ? displayName : null), http.Origin(), ct);
        if (!result.IsSuccess)
        {
            return WachtResults.Error(result.Error);
        }
        var session = await SignedInAsync(http, result.Value, sessions);
        return Answer(session with { SignupAttempts = [WachtSignupAttempt.SignedUp(session.Id, first, last, email!)] });
    }

    private static async Task<IResult> PrepareVerificationAsync(
        ResendVerificationHandler handler, CaptchaPasses captcha, WachtSessions sessions, HttpContext http, CancellationToken ct)
    {
        var (input, unreadable) = await WachtInput.ReadAsync(http);
        if (unreadable is not null)
        {
            return unreadable;
        }
        if (input!["strategy"] != EmailCode || input["identifier_type"] != SignUpType)
        {
            return WachtErrors.MethodUnavailable;
        }
        var (session, refusal) = await SignUpOfThisSessionAsync(http, sessions, input["attempt_identifier"]);
        if (refusal is not null)
        {
            return refusal;
        }
        // The signed-in sign-up asks for its own email here: a pass is checked when the form sends one, never required.
        if (input[ChallengeToken] is { Length: > 0 } pass && await captcha.UseAsync(pass, ct) is { IsSuccess: false } refused)
        {
            return WachtResults.Error(refused.Error!);
        }
        var sent = await handler.HandleAsync(http.Caller(), ct);
        return sent.IsSuccess ? WachtResults.Ok(WachtVerificationPrepared.EmailCode(sent.Value.Email), session!) : WachtResults.Error(sent.Error);
    }

    private static async Task<IResult> AttemptVerificationAsync(
        CompleteMfaSignInHandler secondFactor, VerifyEmailHandler emails, WachtSessions sessions, HttpContext http, CancellationToken ct)
    {
        var (input, unreadable) = await WachtInput.ReadAsync(http);
        if (unreadable is not null)
        {
            return unreadable;
        }
        var (type, attemptId, code) = (input!["identifier_type"], input["attempt_identifier"], input["verification_code"]);
        if (string.IsNullOrEmpty(code))
        {
            return WachtResults.Error(new ValidationFailed(new FieldError("verification_code", ValidationCodes.Required)));
        }
        switch (type)
        {
            case SignInType:
            {
                var result = await secondFactor.HandleAsync(SecondFactorProof(attemptId, code), http.Origin(), ct);
                if (!result.IsSuccess)
                {
                    return WachtResults.Error(result.Error);
                }
                var tokens = result.Value;
                var session = await SignedInAsync(http, tokens, sessions);
                var email = session.ActiveSignin!.User.PrimaryEmailAddress.Email;
                return Answer(session with
                {
                    SigninAttempts = [WachtSigninAttempt.CompletedBySecondFactor(attemptId!, email, tokens.SessionId, tokens.UserId, tokens.SessionExpiresAt)],
                });
            }
            case SignUpType:
            {
                var (_, refusal) = await SignUpOfThisSessionAsync(http, sessions, attemptId);
                if (refusal is not null)
                {
                    return refusal;
                }
                var verified = await emails.HandleAsync(new VerifyEmailCommand(null, code), http.Caller(), http.Origin(), ct);
                if (!verified.IsSuccess)
                {
                    return WachtResults.Error(verified.Error);
                }
                var account = verified.Value;
                var session = await sessions.CurrentAsync(http);
                return Answer(session with { SignupAttempts = [WachtSignupAttempt.SignedUp(session.Id, account.DisplayName, "", account.Email)] });
            }
            default:
                return WachtResults.Error(new ValidationFailed(new FieldError("identifier_type", "InvalidQuery")));
        }
    }

    private static CompleteMfaSignInCommand SecondFactorProof(string? challengeId, string code)
    {
        var proof = WachtSecondFactor.Proof(code);
        return new CompleteMfaSignInCommand(challengeId, proof.Code, proof.RecoveryCode);
    }

    /// <summary>The SDK reads the session as <c>data</c>; the envelope's <c>session</c> is the same one.</summary>
    private static IResult Answer(WachtSession session) => WachtResults.Ok(session, session);

    /// <summary>
    /// A completed sign-in: the <c>__session</c> cookie (and, in development, the header) for the new session, which then
    /// authenticates the rest of this request so that the answer shows it.
    /// </summary>
    private static async Task<WachtSession> SignedInAsync(HttpContext http, AuthTokens tokens, WachtSessions sessions)
    {
        SessionCookie.Set(http, tokens);
        var authenticated = await http.RequestServices.GetRequiredService<RequestAuthenticator>()
            .AuthenticateSessionTokenAsync(tokens.SessionToken, http.RequestServices, http.RequestAborted);
        http.Features.Set(authenticated.Value);
        return await sessions.CurrentAsync(http);
    }

    /// <summary>
    /// A sign-up's attempt is its session: the request must carry that session's credential (401 without one, 404 for another
    /// attempt id). These routes take no credential up front, so a cookie is held to the same cross-site rule here as on the
    /// signed-in routes.
    /// </summary>
    private static async Task<(WachtSession? Session, IResult? Refusal)> SignUpOfThisSessionAsync(HttpContext http, WachtSessions sessions, string? attemptId)
    {
        var session = await sessions.CurrentOrAnonymousAsync(http);
        if (session.ActiveSignin is null)
        {
            return (null, WachtErrors.For(DialectError.Unauthorized, null));
        }
        if (http.Features.Get<PresentedCredential>()?.Source == CredentialSource.SessionCookie
            && !http.RequestServices.GetRequiredService<TrustedOrigins>().Admit(http.Request))
        {
            return (null, WachtErrors.For(DialectError.CrossSiteRequest, null));
        }
        if (string.IsNullOrEmpty(attemptId))
        {
            return (null, WachtResults.Error(new ValidationFailed(new FieldError("attempt_identifier", "InvalidQuery"))));
        }
        return attemptId == session.Id ? (session, null) : (null, WachtResults.Error(new NotFound()));
    }
}
