using System.Net;
using System.Text;
using System.Text.Json;
using OtpNet;
using Tenantry.IntegrationTests.Infrastructure;
using static Tenantry.IntegrationTests.Wacht.WachtForms;

namespace Tenantry.IntegrationTests.Wacht;

/// <summary>A movable clock (fresh TOTP codes, lockouts that end) and a lockout after three failures.</summary>
public sealed class WachtAuthApp : ClockedTenantryApp
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Tenantry:Wacht:DeploymentId"] = WachtApp.DeploymentId;
        settings["Tenantry:Auth:LockoutThreshold"] = "3";
    }
}

/// <summary>
/// Wacht's sign-in and sign-up forms (<c>useSignIn</c>, <c>useSignUp</c>, <c>SignInForm</c>, <c>TwoFactorVerification</c>) against
/// <c>/auth/*</c>: the attempt objects they step through, the session and cookie they end with, and the same accounts,
/// lockouts and second factor as <c>/web/v1/auth/*</c>.
/// </summary>
public sealed class AuthTests(WachtAuthApp app) : IClassFixture<WachtAuthApp>
{
    private static readonly string[] SigninAttemptKeys =
    [
        "id", "email", "session_id", "method", "sso_provider", "expires_at", "first_method_authenticated", "second_method_authenticated",
        "second_method_authentication_required", "available_2fa_methods", "user_id", "current_step", "completed", "requires_completion",
        "missing_fields", "required_fields",
    ];

    private static readonly string[] SignupAttemptKeys =
    [
        "id", "session_id", "first_name", "last_name", "email", "username", "phone_number", "password", "required_fields", "missing_fields",
        "current_step", "remaining_steps", "completed",
    ];

    private readonly SystemApi _system = app.System;
    private readonly WachtApi _wacht = app.Wacht();

    private DateTimeOffset Now => app.Clock.GetUtcNow();

    private static JsonElement OnlyAttempt(JsonElement session, string list) => Assert.Single(session.GetProperty(list).EnumerateArray());

    /// <summary>Enrols an authenticator through Wacht's account page routes; returns its secret.</summary>
    private async Task<byte[]> EnrolAuthenticatorAsync(string cookie)
    {
        var enrolment = (await _wacht.PostAsync("/me/authenticator", cookie)).AssertOk();
        var secret = Base32Encoding.ToBytes(enrolment.GetProperty("totp_secret").GetString());
        var first = TotpCode(secret);
        app.NextTotpStep();
        (await _wacht.PostAsync("/me/authenticator/attempt-verification", cookie,
            Form(("authenticator_id", enrolment.GetProperty("id").GetString()!), ("codes", first), ("codes", TotpCode(secret))))).AssertOk();
        app.NextTotpStep();
        return secret;
    }

    private string TotpCode(byte[] secret) => new TestAuthenticator(secret, []).CodeAt(Now);

    [Fact]
    public async Task Sign_up_then_the_email_code_then_sign_out_then_sign_in_with_the_authenticator_in_the_sdks_order()
    {
        var email = SystemApi.NewEmail("wacht-signup");

        // SignUpForm: create; the attempt is completed at once and the browser is signed in.
        var signUp = await _wacht.SendAsync(HttpMethod.Post, "/auth/signup", null,
            Form(("first_name", "Ada"), ("last_name", "Lovelace"), ("email", email), ("password", SystemApi.Password)));
        var session = signUp.AssertOk();
        Assert.Equal(session.GetRawText(), signUp.Session.GetRawText());
        var attempt = OnlyAttempt(session, "signup_attempts");
        Assert.Equal(SignupAttemptKeys, attempt.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.True(attempt.GetProperty("completed").GetBoolean());
        Assert.Equal(session.GetProperty("id").GetString(), attempt.GetProperty("id").GetString());
        Assert.Equal("", attempt.GetProperty("password").GetString());
        Assert.Equal(email, attempt.GetProperty("email").GetString());
        var cookie = signUp.SessionCookie();
        var user = session.GetProperty("active_signin").GetProperty("user");
        Assert.Equal("Ada Lovelace", user.GetProperty("first_name").GetString());
        Assert.False(user.GetProperty("primary_email_address").GetProperty("verified").GetBoolean());
        var userId = user.GetProperty("id").GetString()!;

        // The verification email's code settles the sign-up's verify_email step.
        var code = await app.QueuedVerificationCodeAsync(userId);
        var verified = (await _wacht.PostAsync(
            $"/auth/attempt-verification?attempt_identifier={attempt.GetProperty("id").GetString()}&identifier_type=signup", cookie,
            Form(("verification_code", code)))).AssertOk();
        Assert.True(OnlyAttempt(verified, "signup_attempts").GetProperty("completed").GetBoolean());
        var me = (await _wacht.GetAsync("/me", cookie)).AssertOk();
        Assert.True(me.GetProperty("primary_email_address").GetProperty("verified").GetBoolean());

        // The account page: an authenticator. Then sign out; the session still answers, without a sign-in.
        var secret = await EnrolAuthenticatorAsync(cookie);
        (await _wacht.PostAsync("/session/sign-out", cookie)).AssertOk(signedIn: false);

        // SignInForm: identify, sign in (a second factor is owed: no cookie, no session), then the authenticator's code.
        Assert.Equal("password", (await _wacht.PostAsync("/auth/identify", null, Form(("identifier", email)))).AssertOk(signedIn: false)
            .GetProperty("strategy").GetString());
        var signIn = await _wacht.SignInAsync(email, SystemApi.Password);
        var pending = OnlyAttempt(signIn.AssertOk(signedIn: false), "signin_attempts");
        Assert.False(signIn.SetsSessionCookie());
        Assert.Equal(SigninAttemptKeys, pending.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("verify_second_factor", pending.GetProperty("current_step").GetString());
        Assert.False(pending.GetProperty("completed").GetBoolean());
        Assert.Equal(["authenticator", "backup_code"], pending.GetProperty("available_2fa_methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("user_id").ValueKind);

        var completed = await _wacht.CompleteSignInAsync(pending.GetProperty("id").GetString()!, TotpCode(secret));
        var signedIn = completed.AssertOk();
        var done = OnlyAttempt(signedIn, "signin_attempts");
        Assert.True(done.GetProperty("completed").GetBoolean());
        Assert.True(done.GetProperty("second_method_authenticated").GetBoolean());
        Assert.Equal(pending.GetProperty("id").GetString(), done.GetProperty("id").GetString());
        Assert.Equal(userId, done.GetProperty("user_id").GetString());
        Assert.Equal(signedIn.GetProperty("id").GetString(), done.GetProperty("session_id").GetString());
        var newCookie = completed.SessionCookie();
        Assert.Equal(userId, (await _wacht.GetAsync("/me", newCookie)).AssertOk().GetProperty("id").GetString());
        Assert.Equal(signedIn.GetProperty("id").GetString(), (await _wacht.GetAsync("/session", newCookie)).AssertOk().GetProperty("id").GetString());
        // An MFA sign-in's session is MFA-verified, as SYSTEM's challenge makes it.
        Assert.True((await _system.GetAsync(MfaApi.Status, (await _wacht.GetAsync("/session/token", newCookie)).AssertOk().GetProperty("token").GetString()))
            .AssertOk().GetProperty("sessionMfaVerified").GetBoolean());
    }

    [Fact]
    public async Task A_password_alone_signs_an_account_without_an_authenticator_in_with_the_session_cookie()
    {
        var user = await _system.SignUpAsync();

        var response = await _wacht.SignInAsync(user.Email.ToUpperInvariant(), user.Password);

        var session = response.AssertOk();
        var attempt = OnlyAttempt(session, "signin_attempts");
        Assert.True(attempt.GetProperty("completed").GetBoolean());
        Assert.False(attempt.GetProperty("second_method_authentication_required").GetBoolean());
        Assert.Equal(user.UserId, attempt.GetProperty("user_id").GetString());
        Assert.Equal(session.GetProperty("id").GetString(), attempt.GetProperty("session_id").GetString());
        var cookie = response.SessionCookie();
        Assert.Contains(response.Message.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__session=", StringComparison.Ordinal)
            && c.Contains("httponly", StringComparison.OrdinalIgnoreCase) && c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(user.UserId, (await _wacht.GetAsync("/me", cookie)).AssertOk().GetProperty("id").GetString());
        // JSON bodies work as well as the SDK's forms.
        var json = new StringContent($$"""{"email":"{{user.Email}}","password":"{{user.Password}}"}""", Encoding.UTF8, "application/json");
        (await _wacht.PostAsync("/auth/signin", null, json)).AssertOk();
    }

    [Fact]
    public async Task A_backup_code_completes_the_second_factor_once()
    {
        var user = await _system.SignUpAsync();
        var authenticator = await _system.EnableMfaAsync(user, Now);
        app.NextTotpStep();

        var first = OnlyAttempt((await _wacht.SignInAsync(user.Email, user.Password)).AssertOk(signedIn: false), "signin_attempts");
        (await _wacht.CompleteSignInAsync(first.GetProperty("id").GetString()!, authenticator.RecoveryCodes[0])).AssertOk();

        var second = OnlyAttempt((await _wacht.SignInAsync(user.Email, user.Password)).AssertOk(signedIn: false), "signin_attempts");
        (await _wacht.CompleteSignInAsync(second.GetProperty("id").GetString()!, authenticator.RecoveryCodes[0])).AssertError(HttpStatusCode.BadRequest);
        // A spent attempt cannot be completed again, even with a good code.
        (await _wacht.CompleteSignInAsync(first.GetProperty("id").GetString()!, authenticator.RecoveryCodes[1])).AssertError(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Password_failures_on_one_dialect_lock_the_other_and_the_answers_say_nothing_of_the_account()
    {
        var user = await _system.SignUpAsync();
        await _system.PostAsync("/web/v1/auth/sign-in", new { email = user.Email, password = "wrong 1" });
        (await _wacht.SignInAsync(user.Email, "wrong 2")).AssertError(HttpStatusCode.Unauthorized);
        await _system.PostAsync("/web/v1/auth/sign-in", new { email = user.Email, password = "wrong 3" });

        // Locked on both, for the right password too.
        var locked = await _wacht.SignInAsync(user.Email, user.Password);
        Assert.Equal(Catalog.Text("en", "Error.RateLimited"), locked.AssertError(HttpStatusCode.TooManyRequests));
        Assert.NotNull(locked.Header("Retry-After"));
        (await _system.PostAsync("/web/v1/auth/sign-in", new { email = user.Email, password = user.Password })).AssertEnvelope(HttpStatusCode.TooManyRequests, "4290");

        // An unknown address answers exactly like a wrong password.
        var unknown = (await _wacht.SignInAsync(SystemApi.NewEmail("nobody"), "whatever")).AssertError(HttpStatusCode.Unauthorized);
        Assert.Equal(Catalog.Text("en", "Error.InvalidCredentials"), unknown);
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        (await _wacht.SignInAsync(user.Email, user.Password)).AssertOk();
    }

    [Fact]
    public async Task Second_factor_failures_count_with_systems()
    {
        var user = await _system.SignUpAsync();
        await _system.EnableMfaAsync(user, Now);
        var challenge = await _system.SignInForChallengeAsync(user);
        (await _system.PostAsync(MfaApi.Challenge, new { challengeId = challenge, code = "000000" })).AssertEnvelope(HttpStatusCode.BadRequest, "AUTH.INVALID_MFA_CODE");
        var attempt = OnlyAttempt((await _wacht.SignInAsync(user.Email, user.Password)).AssertOk(signedIn: false), "signin_attempts")
            .GetProperty("id").GetString()!;
        (await _wacht.CompleteSignInAsync(attempt, "000001")).AssertError(HttpStatusCode.BadRequest);
        (await _wacht.CompleteSignInAsync(attempt, "000002")).AssertError(HttpStatusCode.BadRequest);

        // The third failure locked the second factor of this user, whichever dialect asks.
        (await _wacht.CompleteSignInAsync(attempt, "000003")).AssertError(HttpStatusCode.TooManyRequests);
        (await _system.PostAsync(MfaApi.Challenge, new { challengeId = challenge, code = "000004" })).AssertEnvelope(HttpStatusCode.TooManyRequests, "4290");
    }

    [Fact]
    public async Task Sign_up_refuses_what_sign_up_refuses_on_system()
    {
        var taken = await _system.SignUpAsync();

        (await _wacht.PostAsync("/auth/signup", null, Form(("first_name", "A"), ("email", taken.Email), ("password", SystemApi.Password))))
            .AssertError(HttpStatusCode.Conflict);
        (await _wacht.PostAsync("/auth/signup", null, Form(("first_name", "A"), ("email", "not-an-address"), ("password", SystemApi.Password))))
            .AssertError(HttpStatusCode.BadRequest);
        (await _wacht.PostAsync("/auth/signup", null, Form(("first_name", "A"), ("email", SystemApi.NewEmail()), ("password", "short"))))
            .AssertError(HttpStatusCode.BadRequest);
        (await _wacht.PostAsync("/auth/signup", null, Form(("email", SystemApi.NewEmail()), ("password", SystemApi.Password))))
            .AssertError(HttpStatusCode.BadRequest);
        (await _wacht.PostAsync("/auth/signup", null, Form(("first_name", "A"), ("email", SystemApi.NewEmail()), ("password", SystemApi.Password),
            ("username", "ada")))).AssertError(HttpStatusCode.BadRequest);
    }

    public static readonly TheoryData<string, string> UnavailableWaysIn = new()
    {
        { "/auth/signin", "strategy=plain_username&username=ada&password=x" },
        { "/auth/signin", "strategy=phone_otp&phone=15551234567" },
        { "/auth/signin", "strategy=email_otp&email=ada@example.com" },
        { "/auth/signin", "strategy=magic_link&email=ada@example.com" },
        { "/auth/identify", "identifier=ada" },
        { "/auth/prepare-verification?attempt_identifier=x&strategy=phone_otp&identifier_type=signin", "" },
        { "/auth/prepare-verification?attempt_identifier=x&strategy=email_otp&identifier_type=signin", "" },
        { "/auth/prepare-verification?attempt_identifier=x&strategy=magic_link&identifier_type=signin", "" },
    };

    [Theory]
    [MemberData(nameof(UnavailableWaysIn))]
    public async Task Ways_in_tenantry_does_not_have_answer_a_clear_400(string path, string form)
    {
        var body = new FormUrlEncodedContent(form.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('='))
            .Select(p => new KeyValuePair<string, string>(p[0], p[1])));

        var message = (await _wacht.PostAsync(path, null, body)).AssertError(HttpStatusCode.BadRequest);

        Assert.Equal(Catalog.Text("en", "Wacht.MethodUnavailable"), message);
    }

    [Theory]
    [InlineData("/auth/oauth2/init?provider=google_oauth")]
    [InlineData("/auth/passkey/login/begin")]
    [InlineData("/auth/sso/login?connection_id=x")]
    [InlineData("/auth/complete-profile?attempt_id=x")]
    [InlineData("/auth/magic-link/verify")]
    public async Task Social_sso_passkey_and_profile_routes_are_wachts_404(string path) =>
        (await _wacht.PostAsync(path, null)).AssertError(HttpStatusCode.NotFound);

    [Fact]
    public async Task Bad_input_is_a_wacht_error_never_a_500()
    {
        (await _wacht.PostAsync("/auth/signin", null, Form(("email", "a@example.com")))).AssertError(HttpStatusCode.BadRequest);
        (await _wacht.PostAsync("/auth/signin", null, Form(("password", "x")))).AssertError(HttpStatusCode.BadRequest);
        (await _wacht.PostAsync("/auth/signin", null, new StringContent("{not json", Encoding.UTF8, "application/json")))
            .AssertError(HttpStatusCode.BadRequest);
        (await _wacht.PostAsync("/auth/signin", null, new StringContent("email=a", Encoding.UTF8, "text/plain")))
            .AssertError(HttpStatusCode.UnsupportedMediaType);
        (await _wacht.PostAsync("/auth/signin", null, Form(("email", new string('a', 400) + "@example.com"), ("password", "x"))))
            .AssertError(HttpStatusCode.BadRequest);
        (await _wacht.PostAsync("/auth/identify", null)).AssertError(HttpStatusCode.BadRequest);
        (await _wacht.CompleteSignInAsync("", "123456")).AssertError(HttpStatusCode.BadRequest);
        (await _wacht.CompleteSignInAsync("mfa_made-up", "123456")).AssertError(HttpStatusCode.Unauthorized);
        (await _wacht.CompleteSignInAsync("mfa_made-up", new string('9', 5000))).AssertError(HttpStatusCode.BadRequest);
        (await _wacht.PostAsync("/auth/attempt-verification?attempt_identifier=x&identifier_type=signin", null)).AssertError(HttpStatusCode.BadRequest);
        (await _wacht.PostAsync("/auth/attempt-verification?attempt_identifier=x&identifier_type=other", null, Form(("verification_code", "123456"))))
            .AssertError(HttpStatusCode.BadRequest);
        // A sign-up's attempt needs its own session.
        (await _wacht.PostAsync("/auth/attempt-verification?attempt_identifier=x&identifier_type=signup", null, Form(("verification_code", "123456"))))
            .AssertError(HttpStatusCode.Unauthorized);
        (await _wacht.PostAsync("/auth/prepare-verification?attempt_identifier=x&strategy=email_otp&identifier_type=signup", null))
            .AssertError(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_sign_ups_attempt_is_only_its_own_sessions()
    {
        var user = await _system.SignUpAsync();
        var stranger = await _system.SignUpAsync();

        (await _wacht.PostAsync($"/auth/attempt-verification?attempt_identifier={stranger.SessionId}&identifier_type=signup", user.SessionCookie,
            Form(("verification_code", "123456")))).AssertError(HttpStatusCode.NotFound);
        (await _wacht.PostAsync($"/auth/prepare-verification?attempt_identifier={stranger.SessionId}&strategy=email_otp&identifier_type=signup",
            user.SessionCookie)).AssertError(HttpStatusCode.NotFound);
        // A wrong code is the verification's 400, and the right one then still works.
        (await _wacht.PostAsync($"/auth/attempt-verification?attempt_identifier={user.SessionId}&identifier_type=signup", user.SessionCookie,
            Form(("verification_code", "000000")))).AssertError(HttpStatusCode.BadRequest);
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var prepared = (await _wacht.PostAsync($"/auth/prepare-verification?attempt_identifier={user.SessionId}&strategy=email_otp&identifier_type=signup",
            user.SessionCookie)).AssertOk();
        Assert.True(prepared.GetProperty("otp_sent").GetBoolean());
        Assert.Equal("email_otp", prepared.GetProperty("verification_method").GetString());
        Assert.Matches(@"^u\*+@example\.com$", prepared.GetProperty("masked_email").GetString());
        var code = await app.QueuedVerificationCodeAsync(user.UserId);
        (await _wacht.PostAsync($"/auth/attempt-verification?attempt_identifier={user.SessionId}&identifier_type=signup", user.SessionCookie,
            Form(("verification_code", code)))).AssertOk();
        Assert.True((await _system.MeAsync(user)).GetProperty("emailVerified").GetBoolean());
        // Cookie-authenticated, so a cross-site page cannot make the browser do it.
        var crossSite = await _wacht.SendAsync(HttpMethod.Post,
            $"/auth/prepare-verification?attempt_identifier={user.SessionId}&strategy=email_otp&identifier_type=signup", user.SessionCookie,
            WachtApi.EmptyForm(), configure: r => r.Headers.Add("Origin", "https://evil.example"));
        crossSite.AssertError(HttpStatusCode.Forbidden);
    }
}
