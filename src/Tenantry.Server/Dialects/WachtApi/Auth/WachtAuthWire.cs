using System.Text.Json.Serialization;

namespace Tenantry.Server.Dialects.WachtApi.Auth;

// The attempt objects Wacht's SignInForm and SignUpForm step through (wacht-types session.ts), over Tenantry's one way in:
// email and password, then a TOTP code or a backup code for an account with an authenticator.

/// <summary>
/// Wacht's <c>SigninAttempt</c>. Its id is what <c>/auth/attempt-verification</c> names: the MFA challenge while a second
/// factor is owed (a secret, like SYSTEM's <c>challengeId</c>), the new session's id once the password alone signed in.
/// <c>user_id</c> stays null until the attempt completes, so that an unfinished attempt does not tell whose account it is.
/// </summary>
public sealed record WachtSigninAttempt(
    string Id,
    string Email,
    string SessionId,
    string Method,
    string SsoProvider,
    DateTime ExpiresAt,
    bool FirstMethodAuthenticated,
    bool SecondMethodAuthenticated,
    bool SecondMethodAuthenticationRequired,
    [property: JsonPropertyName("available_2fa_methods")] IReadOnlyList<string> Available2faMethods,
    string? UserId,
    string CurrentStep,
    bool Completed,
    bool RequiresCompletion,
    IReadOnlyList<string> MissingFields,
    IReadOnlyList<string> RequiredFields)
{
    public const string PasswordMethod = "plain_email";
    public const string SecondFactorStep = "verify_second_factor";

    /// <summary>What the SDK's two-factor screen offers: the authenticator app, or one of the backup codes.</summary>
    public static readonly IReadOnlyList<string> SecondFactors = ["authenticator", "backup_code"];

    /// <summary>The password was right and the account has an authenticator: a code is owed within the challenge's lifetime.</summary>
    public static WachtSigninAttempt SecondFactorOwed(string challengeId, string email, DateTime expiresAt) =>
        new(challengeId, email, "", PasswordMethod, "", expiresAt, true, false, true, SecondFactors, null, SecondFactorStep, false, false, [], []);

    /// <summary>The password signed in (no authenticator): the attempt is the new session's sign-in.</summary>
    public static WachtSigninAttempt CompletedByPassword(string email, string sessionId, string userId, DateTime expiresAt) =>
        new(sessionId, email, sessionId, PasswordMethod, "", expiresAt, true, false, false, [], userId, "verify_password", true, false, [], []);

    /// <summary>The second factor was proven: the same attempt, completed, with the session it started.</summary>
    public static WachtSigninAttempt CompletedBySecondFactor(string challengeId, string email, string sessionId, string userId, DateTime expiresAt) =>
        new(challengeId, email, sessionId, PasswordMethod, "", expiresAt, true, true, true, SecondFactors, userId, SecondFactorStep, true, false, [], []);
}

/// <summary>
/// Wacht's <c>SignupAttempt</c>. Tenantry signs a new account in at once (an unverified address may sign in, and
/// <c>/deployment</c> says email verification is not required), so a sign-up answers it completed, with the session it
/// started; its id is that session's id. <c>current_step</c> names the one step Tenantry knows, <c>verify_email</c>, which the
/// sign-up's email settles whenever its owner likes (<c>/auth/attempt-verification</c> with <c>identifier_type=signup</c>, or the
/// address's own <c>attempt-verification</c>); nothing remains for the sign-up itself. The password is never echoed.
/// </summary>
public sealed record WachtSignupAttempt(
    string Id,
    string SessionId,
    string FirstName,
    string LastName,
    string Email,
    string Username,
    string PhoneNumber,
    string Password,
    IReadOnlyList<string> RequiredFields,
    IReadOnlyList<string> MissingFields,
    string CurrentStep,
    IReadOnlyList<string> RemainingSteps,
    bool Completed)
{
    public static readonly IReadOnlyList<string> Required = ["email", "password", "first_name"];

    public static WachtSignupAttempt SignedUp(string sessionId, string firstName, string lastName, string email) =>
        new(sessionId, sessionId, firstName, lastName, email, "", "", "", Required, [], "verify_email", [], true);
}

/// <summary><c>/auth/identify</c>: how the identifier signs in. Tenantry has passwords only, so it never says whether an account exists.</summary>
public sealed record WachtIdentifyResult(string Strategy);

/// <summary><c>/auth/prepare-verification</c> and an address's <c>prepare-verification</c>: a code is on its way to <c>masked_email</c>.</summary>
public sealed record WachtVerificationPrepared(bool OtpSent, string MaskedEmail, string VerificationMethod)
{
    public static WachtVerificationPrepared EmailCode(string email) => new(true, Mask(email), "email_otp");

    /// <summary><c>ada@example.com</c> shows as <c>a**@example.com</c>: enough to recognize the mailbox, not to read it off the screen.</summary>
    public static string Mask(string email)
    {
        var at = email.LastIndexOf('@');
        return at <= 0 ? email : email[0] + new string('*', Math.Max(at - 1, 1)) + email[at..];
    }
}

/// <summary><c>/auth/forgot-password</c> with an email alone: the SDK reads nothing from it (<c>{}</c>), whether the address has an account or not.</summary>
public sealed record WachtNothing;

/// <summary><c>/auth/forgot-password</c> with the emailed code: the token <c>/auth/reset-password</c> takes.</summary>
public sealed record WachtPasswordResetToken(string Token);

/// <summary>The challenge of Cap's widget: <c>c</c> puzzles of <c>s</c>-character salts and <c>d</c>-character targets, derived from the token.</summary>
public sealed record CapChallengeParameters(int C, int S, int D);

/// <summary><c>POST /captcha/challenge</c> as Cap's widget reads it; <c>expires</c> in epoch milliseconds.</summary>
public sealed record CapChallengeAnswer(CapChallengeParameters Challenge, string Token, long Expires);

/// <summary><c>POST /captcha/redeem</c> as Cap's widget reads it: the pass the forms send as <c>challenge_token</c>.</summary>
public sealed record CapRedeemAnswer(bool Success, string Token, long Expires);
