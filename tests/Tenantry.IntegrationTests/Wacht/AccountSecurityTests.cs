using System.Net;
using System.Text;
using OtpNet;
using Tenantry.IntegrationTests.Infrastructure;
using static Tenantry.IntegrationTests.Wacht.WachtForms;

namespace Tenantry.IntegrationTests.Wacht;

/// <summary>
/// The account page's security and email sections (<c>useUser</c>): the authenticator, backup codes and the email address, over
/// the same MFA and verification rules as <c>/web/v1/auth/mfa/*</c> and <c>/web/v1/auth/email/*</c>.
/// </summary>
public sealed class AccountSecurityTests(WachtAuthApp app) : IClassFixture<WachtAuthApp>
{
    private readonly SystemApi _system = app.System;
    private readonly WachtApi _wacht = app.Wacht();

    private DateTimeOffset Now => app.Clock.GetUtcNow();

    private string Code(byte[] secret) => new TestAuthenticator(secret, []).CodeAt(Now);

    [Fact]
    public async Task An_authenticator_is_enrolled_verified_and_removed_with_a_current_code()
    {
        var user = await _system.SignUpAsync();

        var enrolment = (await _wacht.PostAsync("/me/authenticator", user.SessionCookie)).AssertOk();
        Assert.Equal(["id", "created_at", "totp_secret", "otp_url"], enrolment.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.StartsWith("otpauth://totp/", enrolment.GetProperty("otp_url").GetString());
        var id = enrolment.GetProperty("id").GetString()!;
        var secret = Base32Encoding.ToBytes(enrolment.GetProperty("totp_secret").GetString());
        // Pending: GET /me shows no authenticator until it is verified, and a wrong code leaves it so.
        Assert.False((await _wacht.GetAsync("/me", user.SessionCookie)).AssertOk().TryGetProperty("user_authenticator", out _));
        (await _wacht.PostAsync("/me/authenticator/attempt-verification", user.SessionCookie, Form(("authenticator_id", id), ("codes", "000000"))))
            .AssertError(HttpStatusCode.BadRequest);

        var verified = (await _wacht.PostAsync("/me/authenticator/attempt-verification", user.SessionCookie,
            Form(("authenticator_id", id), ("codes", Code(secret)), ("codes", Code(secret))))).AssertOk();
        Assert.Equal(id, verified.GetProperty("authenticator").GetProperty("id").GetString());
        var backupCodes = verified.GetProperty("backup_codes").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Equal(10, backupCodes.Count);
        var me = (await _wacht.GetAsync("/me", user.SessionCookie)).AssertOk();
        Assert.Equal(id, me.GetProperty("user_authenticator").GetProperty("id").GetString());
        Assert.Equal("enforced", me.GetProperty("second_factor_policy").GetString());
        // SYSTEM sees the same authenticator.
        Assert.True((await _system.GetAsync(MfaApi.Status, user.AccessToken)).AssertOk().GetProperty("enabled").GetBoolean());
        (await _wacht.PostAsync("/me/authenticator", user.SessionCookie)).AssertError(HttpStatusCode.Conflict);

        // Removing needs a current code (as SYSTEM's disable does): none, a wrong one, another id, then a backup code.
        (await _wacht.PostAsync($"/me/authenticator/{id}/delete", user.SessionCookie)).AssertError(HttpStatusCode.BadRequest);
        (await _wacht.PostAsync($"/me/authenticator/{id}/delete", user.SessionCookie, Form(("code", "000000")))).AssertError(HttpStatusCode.BadRequest);
        (await _wacht.PostAsync("/me/authenticator/totp_someone-else/delete", user.SessionCookie, Form(("backup_code", backupCodes[0]))))
            .AssertError(HttpStatusCode.NotFound);
        (await _wacht.PostAsync($"/me/authenticator/{id}/delete", user.SessionCookie, Form(("code", backupCodes[0])))).AssertOk();
        Assert.False((await _system.GetAsync(MfaApi.Status, user.AccessToken)).AssertOk().GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Backup_codes_are_replaced_for_a_current_code_and_the_old_ones_stop_working()
    {
        var user = await _system.SignUpAsync();
        var authenticator = await _system.EnableMfaAsync(user, Now);
        app.NextTotpStep();

        (await _wacht.PostAsync("/me/backup-codes", user.SessionCookie)).AssertError(HttpStatusCode.BadRequest);
        var fresh = (await _wacht.PostAsync("/me/backup-codes", user.SessionCookie, Form(("code", authenticator.CodeAt(Now))))).AssertOk()
            .EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Equal(10, fresh.Count);
        Assert.Empty(fresh.Intersect(authenticator.RecoveryCodes));
        var again = (await _wacht.PostAsync("/me/backup-codes/regenerate", user.SessionCookie, Form(("backup_code", fresh[0])))).AssertOk()
            .EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Empty(again.Intersect(fresh));

        // The replaced codes no longer complete a sign-in; the newest do.
        var attempt = Assert.Single((await _wacht.SignInAsync(user.Email, user.Password)).AssertOk(signedIn: false).GetProperty("signin_attempts")
            .EnumerateArray()).GetProperty("id").GetString()!;
        (await _wacht.CompleteSignInAsync(attempt, fresh[1])).AssertError(HttpStatusCode.BadRequest);
        (await _wacht.CompleteSignInAsync(attempt, again[0])).AssertOk();
    }

    [Fact]
    public async Task The_one_email_address_is_listed_verified_with_its_code_and_cannot_be_added_to_or_removed()
    {
        var user = await _system.SignUpAsync();
        var stranger = await _system.SignUpAsync();
        var addressId = "email_" + user.UserId;

        var list = (await _wacht.GetAsync("/me/email-addresses", user.SessionCookie)).AssertOk();
        var address = Assert.Single(list.EnumerateArray());
        Assert.Equal(["id", "email", "is_primary", "verified", "verified_at", "verification_strategy"], address.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(addressId, address.GetProperty("id").GetString());
        Assert.True(address.GetProperty("is_primary").GetBoolean());
        Assert.Equal(address.GetRawText(), (await _wacht.GetAsync($"/me/email-addresses/{addressId}", user.SessionCookie)).AssertOk().GetRawText());
        Assert.Equal(address.GetRawText(), (await _wacht.PostAsync($"/me/email-addresses/{addressId}/make-primary", user.SessionCookie)).AssertOk().GetRawText());

        // Another account's address (or a made-up one) is not found, whatever the route.
        foreach (var other in new[] { "email_" + stranger.UserId, "nope" })
        {
            (await _wacht.GetAsync($"/me/email-addresses/{other}", user.SessionCookie)).AssertError(HttpStatusCode.NotFound);
            foreach (var action in new[] { "delete", "make-primary", "prepare-verification", "attempt-verification?code=123456" })
            {
                (await _wacht.PostAsync($"/me/email-addresses/{other}/{action}", user.SessionCookie)).AssertError(HttpStatusCode.NotFound);
            }
        }
        Assert.Equal(Catalog.Text("en", "Wacht.OneEmailAddress"),
            (await _wacht.PostAsync("/me/email-addresses", user.SessionCookie, Form(("email", SystemApi.NewEmail())))).AssertError(HttpStatusCode.BadRequest));
        (await _wacht.PostAsync($"/me/email-addresses/{addressId}/delete", user.SessionCookie)).AssertError(HttpStatusCode.BadRequest);

        // Verification: a new email's code (the sign-up's stops working), a wrong code, then the right one.
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var prepared = (await _wacht.PostAsync($"/me/email-addresses/{addressId}/prepare-verification", user.SessionCookie)).AssertOk();
        Assert.True(prepared.GetProperty("otp_sent").GetBoolean());
        var code = await app.QueuedVerificationCodeAsync(user.UserId);
        (await _wacht.PostAsync($"/me/email-addresses/{addressId}/attempt-verification?code={(code == "000000" ? "111111" : "000000")}", user.SessionCookie))
            .AssertError(HttpStatusCode.BadRequest);
        (await _wacht.PostAsync($"/me/email-addresses/{addressId}/attempt-verification", user.SessionCookie)).AssertError(HttpStatusCode.BadRequest);
        var verified = (await _wacht.PostAsync($"/me/email-addresses/{addressId}/attempt-verification?code={code}", user.SessionCookie)).AssertOk();
        Assert.True(verified.GetProperty("verified").GetBoolean());
        Assert.True((await _system.MeAsync(user)).GetProperty("emailVerified").GetBoolean());
        // Nothing left to verify: SYSTEM's 409.
        (await _wacht.PostAsync($"/me/email-addresses/{addressId}/prepare-verification", user.SessionCookie)).AssertError(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_password_change_needs_the_current_one_counts_its_failures_and_signs_the_other_sessions_out()
    {
        var user = await _system.SignUpAsync();
        var elsewhere = (await _wacht.SignInAsync(user.Email, user.Password)).SessionCookie();
        const string newPassword = "a brand new passphrase";

        (await _wacht.PostAsync("/me/update-password", user.SessionCookie, Form(("current_password", "wrong 1"), ("new_password", newPassword))))
            .AssertError(HttpStatusCode.Unauthorized);
        (await _wacht.PostAsync("/me/update-password", user.SessionCookie, Form(("current_password", user.Password), ("new_password", "short"))))
            .AssertError(HttpStatusCode.BadRequest);
        (await _wacht.PostAsync("/me/update-password", user.SessionCookie, Form(("new_password", newPassword)))).AssertError(HttpStatusCode.BadRequest);

        (await _wacht.PostAsync("/me/update-password", user.SessionCookie, Form(("current_password", user.Password), ("new_password", newPassword))))
            .AssertOk();

        // This session goes on; the other one is signed out; only the new password signs in, on either dialect.
        (await _wacht.GetAsync("/me", user.SessionCookie)).AssertOk();
        (await _wacht.GetAsync("/me", elsewhere)).AssertError(HttpStatusCode.Unauthorized);
        (await _system.PostAsync("/web/v1/auth/sign-in", new { email = user.Email, password = user.Password })).AssertEnvelope(HttpStatusCode.Unauthorized, "AUTH.INVALID_CREDENTIALS");
        (await _system.PostAsync("/web/v1/auth/sign-in", new { email = user.Email, password = newPassword })).AssertOk();
        var events = (await _system.AdminGetAsync($"/admin/v1/users/{user.UserId}/events")).AssertOk();
        var changed = Assert.Single(events.EnumerateArray(), e => e.GetProperty("action").GetString() == "password.changed");
        Assert.Equal(1, changed.GetProperty("details").GetProperty("sessionsSignedOut").GetInt32());
    }

    [Fact]
    public async Task Wrong_current_passwords_lock_sign_in_too()
    {
        var user = await _system.SignUpAsync();
        for (var i = 0; i < 3; i++)
        {
            (await _wacht.PostAsync("/me/update-password", user.SessionCookie, Form(("current_password", "wrong " + i), ("new_password", "whatever it is"))))
                .AssertError(HttpStatusCode.Unauthorized);
        }

        (await _wacht.PostAsync("/me/update-password", user.SessionCookie, Form(("current_password", user.Password), ("new_password", "whatever it is"))))
            .AssertError(HttpStatusCode.TooManyRequests);
        (await _system.PostAsync("/web/v1/auth/sign-in", new { email = user.Email, password = user.Password })).AssertEnvelope(HttpStatusCode.TooManyRequests, "4290");
    }

    public static readonly TheoryData<string, string> SignedInRoutes = new()
    {
        { "POST", "/me/update-password" },
        { "POST", "/me/authenticator" },
        { "POST", "/me/authenticator/attempt-verification" },
        { "POST", "/me/authenticator/totp_x/delete" },
        { "POST", "/me/backup-codes" },
        { "POST", "/me/backup-codes/regenerate" },
        { "GET", "/me/email-addresses" },
        { "GET", "/me/email-addresses/email_x" },
        { "POST", "/me/email-addresses" },
        { "POST", "/me/email-addresses/email_x/delete" },
        { "POST", "/me/email-addresses/email_x/make-primary" },
        { "POST", "/me/email-addresses/email_x/prepare-verification" },
        { "POST", "/me/email-addresses/email_x/attempt-verification?code=123456" },
    };

    [Theory]
    [MemberData(nameof(SignedInRoutes))]
    public async Task Every_route_needs_the_session_and_refuses_a_cross_site_page(string method, string path)
    {
        (await _wacht.SendAsync(new HttpMethod(method), path, cookie: null, method == "POST" ? WachtApi.EmptyForm() : null)).AssertError(HttpStatusCode.Unauthorized);
        if (method == "POST")
        {
            var user = await _system.SignUpAsync();
            (await _wacht.SendAsync(HttpMethod.Post, path, user.SessionCookie, WachtApi.EmptyForm(), configure: r => r.Headers.Add("Origin", "https://evil.example")))
                .AssertError(HttpStatusCode.Forbidden);
        }
    }

    [Fact]
    public async Task Bad_input_is_a_wacht_error_never_a_500()
    {
        var user = await _system.SignUpAsync();
        await _wacht.PostAsync("/me/authenticator", user.SessionCookie);

        (await _wacht.PostAsync("/me/authenticator/attempt-verification", user.SessionCookie)).AssertError(HttpStatusCode.BadRequest);
        (await _wacht.PostAsync("/me/authenticator/attempt-verification", user.SessionCookie, Form(("codes", new string('1', 5000)))))
            .AssertError(HttpStatusCode.BadRequest);
        (await _wacht.PostAsync("/me/authenticator/attempt-verification", user.SessionCookie, Form(("authenticator_id", "totp_other"), ("codes", "123456"))))
            .AssertError(HttpStatusCode.NotFound);
        var json = new StringContent("""{"codes":["123456", 7]}""", Encoding.UTF8, "application/json");
        (await _wacht.PostAsync("/me/authenticator/attempt-verification", user.SessionCookie, json)).AssertError(HttpStatusCode.BadRequest);
        // Without an active authenticator there is nothing to prove a code against: SYSTEM's 409.
        (await _wacht.PostAsync("/me/backup-codes", user.SessionCookie, Form(("code", "123456")))).AssertError(HttpStatusCode.Conflict);
        (await _wacht.PostAsync("/me/backup-codes", user.SessionCookie, Form(("code", new string('x', 500))))).AssertError(HttpStatusCode.BadRequest);
    }
}
