using System.Net;
using System.Text.Json;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Wacht;

/// <summary>
/// The user and the session as Wacht's SDK reads them: <c>useUser</c> (<c>GET /me</c>), <c>getToken</c>
/// (<c>GET /session/token</c>), <c>signOut</c>, <c>switchSignIn</c> and <c>useUserSignins</c> (<c>/me/signins</c>).
/// </summary>
public sealed class SessionUserTests(WachtApp app) : IClassFixture<WachtApp>
{
    private readonly SystemApi _system = app.System;

    private static readonly string[] UserKeys =
    [
        "id", "first_name", "last_name", "username", "availability", "has_profile_picture", "profile_picture_url", "primary_email_address_id",
        "primary_phone_number_id", "primary_email_address", "second_factor_policy", "user_email_addresses", "user_phone_numbers",
        "social_connections", "backup_codes_generated", "has_password", "has_passkeys", "public_metadata", "segments",
    ];

    /// <summary>Another session of the same account (another device): its cookie.</summary>
    private async Task<(string SessionId, string Cookie)> SignInAgainAsync(TestUser user)
    {
        var signIn = await _system.PostAsync("/web/v1/auth/sign-in", new { email = user.Email, password = user.Password });
        var id = signIn.AssertOk().GetProperty("sessionId").GetString()!;
        var cookie = signIn.Message.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__session=", StringComparison.Ordinal));
        return (id, cookie.Split(';')[0]["__session=".Length..]);
    }

    [Fact]
    public async Task Me_is_the_account_in_wachts_current_user_shape()
    {
        var user = await _system.SignUpAsync(displayName: "Ada Lovelace");

        var me = (await app.Wacht().GetAsync("/me", user.SessionCookie)).AssertOk();

        Assert.Equal(UserKeys, me.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(user.UserId, me.GetProperty("id").GetString());
        Assert.Equal("Ada Lovelace", me.GetProperty("first_name").GetString());
        Assert.Equal("", me.GetProperty("last_name").GetString());
        Assert.Equal("none", me.GetProperty("second_factor_policy").GetString());
        Assert.False(me.GetProperty("backup_codes_generated").GetBoolean());
        Assert.True(me.GetProperty("has_password").GetBoolean());
        var email = me.GetProperty("primary_email_address");
        Assert.Equal(["id", "email", "is_primary", "verified", "verified_at", "verification_strategy"], email.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(user.Email, email.GetProperty("email").GetString());
        Assert.Equal(me.GetProperty("primary_email_address_id").GetString(), email.GetProperty("id").GetString());
        Assert.False(email.GetProperty("verified").GetBoolean());
        Assert.Equal("", email.GetProperty("verified_at").GetString());
        Assert.Equal(email.GetRawText(), Assert.Single(me.GetProperty("user_email_addresses").EnumerateArray()).GetRawText());

        // The same user is each sign-in's user (the security fields only in GET /me).
        var signInUser = (await app.Wacht().GetAsync("/session", user.SessionCookie)).AssertOk().GetProperty("active_signin").GetProperty("user");
        Assert.Equal(user.UserId, signInUser.GetProperty("id").GetString());
        Assert.Equal("Ada Lovelace", signInUser.GetProperty("first_name").GetString());
        Assert.Equal(user.Email, signInUser.GetProperty("primary_email_address").GetProperty("email").GetString());
    }

    [Fact]
    public async Task Me_shows_a_verified_address_and_an_enrolled_authenticator()
    {
        var user = await _system.SignUpAsync();
        await _system.VerifyEmailAsync(user);
        await _system.EnableMfaAsync(user, app.ServerClock().GetUtcNow());

        var me = (await app.Wacht().GetAsync("/me", user.SessionCookie)).AssertOk();

        Assert.True(me.GetProperty("primary_email_address").GetProperty("verified").GetBoolean());
        Assert.NotEqual("", me.GetProperty("primary_email_address").GetProperty("verified_at").GetString());
        Assert.Equal("enforced", me.GetProperty("second_factor_policy").GetString());
        Assert.Equal(["id", "created_at"], me.GetProperty("user_authenticator").EnumerateObject().Select(p => p.Name).ToArray());
        Assert.True(me.GetProperty("backup_codes_generated").GetBoolean());
    }

    [Fact]
    public async Task The_session_token_is_an_access_token_the_backend_accepts_until_it_expires()
    {
        var user = await _system.SignUpAsync();
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var data = (await app.Wacht().GetAsync("/session/token", user.SessionCookie)).AssertOk();

        Assert.Equal(["token", "expires"], data.EnumerateObject().Select(p => p.Name).ToArray());
        var expires = data.GetProperty("expires").GetInt64();
        Assert.InRange(expires, before + 60_000, before + 24 * 3600_000);
        var token = data.GetProperty("token").GetString()!;
        // The product's backend verifies it like any access token: here, the SYSTEM dialect's own.
        Assert.Equal(user.UserId, (await _system.GetAsync("/web/v1/auth/me", token)).AssertOk().GetProperty("userBizId").GetString());
        (await app.Wacht().GetAsync("/session/token?template=default", user.SessionCookie)).AssertOk();
        (await app.Wacht().GetAsync("/session/token?template=supabase", user.SessionCookie)).AssertError(HttpStatusCode.BadRequest);
        (await app.Wacht().GetAsync("/session/token", cookie: null)).AssertError(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Sign_out_ends_the_session_and_the_session_still_answers_without_a_sign_in()
    {
        var user = await _system.SignUpAsync();
        var token = (await app.Wacht().GetAsync("/session/token", user.SessionCookie)).AssertOk().GetProperty("token").GetString();

        var signOut = await app.Wacht().PostAsync("/session/sign-out", user.SessionCookie);

        WachtResponse.AssertAnonymous(signOut.AssertOk(signedIn: false));
        Assert.Contains(signOut.Message.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__session=;", StringComparison.Ordinal) && c.Contains("expires=", StringComparison.OrdinalIgnoreCase));
        // What the SDK reads next: the session, with the old cookie (a staging token stays in its storage) or without one.
        WachtResponse.AssertAnonymous((await app.Wacht().GetAsync("/session", user.SessionCookie)).AssertOk(signedIn: false));
        WachtResponse.AssertAnonymous((await app.Wacht().GetAsync("/session", cookie: null)).AssertOk(signedIn: false));
        (await app.Wacht().GetAsync("/me", user.SessionCookie)).AssertError(HttpStatusCode.Unauthorized);
        (await _system.GetAsync("/web/v1/auth/me", token)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
    }

    [Fact]
    public async Task Sign_out_and_switch_name_only_this_sessions_sign_in()
    {
        var user = await _system.SignUpAsync();
        var (otherSession, otherCookie) = await SignInAgainAsync(user);

        (await app.Wacht().PostAsync($"/session/sign-out?sign_in_id={otherSession}", user.SessionCookie)).AssertError(HttpStatusCode.NotFound);
        (await app.Wacht().PostAsync($"/session/switch-sign-in?sign_in_id={otherSession}", user.SessionCookie)).AssertError(HttpStatusCode.NotFound);
        (await app.Wacht().PostAsync("/session/switch-sign-in", user.SessionCookie)).AssertError(HttpStatusCode.BadRequest);
        (await app.Wacht().GetAsync("/session", otherCookie)).AssertOk();

        var switched = (await app.Wacht().PostAsync($"/session/switch-sign-in?sign_in_id={user.SessionId}", user.SessionCookie)).AssertOk();
        Assert.Equal(user.SessionId, switched.GetProperty("active_signin").GetProperty("id").GetString());

        (await app.Wacht().PostAsync($"/session/sign-out?sign_in_id={user.SessionId}", user.SessionCookie)).AssertOk(signedIn: false);
        (await app.Wacht().GetAsync("/me", user.SessionCookie)).AssertError(HttpStatusCode.Unauthorized);
        (await app.Wacht().GetAsync("/me", otherCookie)).AssertOk();
    }

    [Fact]
    public async Task The_accounts_sign_ins_are_listed_and_one_can_be_signed_out_from_another()
    {
        var user = await _system.SignUpAsync();
        var (otherSession, otherCookie) = await SignInAgainAsync(user);
        var stranger = await _system.SignUpAsync();

        var signins = (await app.Wacht().GetAsync("/me/signins", user.SessionCookie)).AssertOk();

        Assert.Equal(new[] { user.SessionId, otherSession }.Order(), signins.EnumerateArray().Select(s => s.GetProperty("id").GetString()!).Order());
        foreach (var signIn in signins.EnumerateArray())
        {
            Assert.Equal(WachtResponse.SignInKeys, signIn.EnumerateObject().Select(p => p.Name).ToArray());
            Assert.Equal(user.UserId, signIn.GetProperty("user").GetProperty("id").GetString());
        }

        // Another account's sign-in, a made-up one and a malformed one are all the same 404, and change nothing.
        foreach (var id in new[] { stranger.SessionId, "sess_00000000000000000000000000", "nope" })
        {
            (await app.Wacht().PostAsync($"/me/signins/{id}/signout", user.SessionCookie)).AssertError(HttpStatusCode.NotFound);
        }
        (await app.Wacht().GetAsync("/session", stranger.SessionCookie)).AssertOk();

        (await app.Wacht().PostAsync($"/me/signins/{otherSession}/signout", user.SessionCookie)).AssertOk();
        (await app.Wacht().GetAsync("/me", otherCookie)).AssertError(HttpStatusCode.Unauthorized);
        var left = (await app.Wacht().GetAsync("/me/signins", user.SessionCookie)).AssertOk();
        Assert.Equal(user.SessionId, Assert.Single(left.EnumerateArray()).GetProperty("id").GetString());
        (await app.Wacht().PostAsync($"/me/signins/{otherSession}/signout", user.SessionCookie)).AssertError(HttpStatusCode.NotFound);
    }
    [Fact]
    public async Task The_sdk_boots_in_its_order_then_signs_out()
    {
        // An account with its own workspace, signed in through the SYSTEM gateway; the browser keeps the cookie.
        var user = await _system.SignUpAsync(displayName: "Boot User");
        var workspace = await _system.CreateWorkspaceAsync(user, "Boot");
        var wacht = app.Wacht();

        // DeploymentProvider: GET /deployment (production mode: credentials included).
        Assert.Equal("production", (await wacht.GetAsync("/deployment", user.SessionCookie)).AssertOk().GetProperty("mode").GetString());
        // useSession: GET /session.
        var session = (await wacht.GetAsync("/session", user.SessionCookie)).AssertOk();
        Assert.Equal(user.SessionId, session.GetProperty("active_signin").GetProperty("id").GetString());
        // useUser: GET /me.
        Assert.Equal("Boot User", (await wacht.GetAsync("/me", user.SessionCookie)).AssertOk().GetProperty("first_name").GetString());
        // useOrganizationMemberships, useWorkspaceMemberships; the active workspace membership is the session's.
        Assert.Single((await wacht.GetAsync("/me/organization-memberships", user.SessionCookie)).AssertOk().EnumerateArray());
        var membership = Assert.Single((await wacht.GetAsync("/me/workspace-memberships", user.SessionCookie)).AssertOk().EnumerateArray());
        Assert.Equal(workspace, membership.GetProperty("workspace").GetProperty("id").GetString());
        Assert.Equal(membership.GetProperty("id").GetString(), session.GetProperty("active_signin").GetProperty("active_workspace_membership_id").GetString());
        // getToken, then signOut: POST /session/sign-out and the session reloaded.
        (await wacht.GetAsync("/session/token", user.SessionCookie)).AssertOk();
        (await wacht.PostAsync("/session/sign-out", user.SessionCookie)).AssertOk(signedIn: false);
        (await wacht.GetAsync("/session", cookie: null)).AssertOk(signedIn: false);
        (await wacht.GetAsync("/deployment", cookie: null)).AssertOk(signedIn: false);
        (await wacht.GetAsync("/me/workspace-memberships", user.SessionCookie)).AssertError(HttpStatusCode.Unauthorized);
    }
    private static MultipartFormDataContent Form(params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }
        return form;
    }

    [Fact]
    public async Task The_profile_form_renames_the_account_and_the_next_session_block_shows_it()
    {
        var user = await _system.SignUpAsync(displayName: "Grace");
        (await app.Wacht().GetAsync("/session", user.SessionCookie)).AssertOk();

        // updateProfile: the SDK sends FormData with the fields that have a value.
        var me = (await app.Wacht().PostAsync("/me", user.SessionCookie, Form(("first_name", "Grace"), ("last_name", "Hopper"),
            ("primary_email_address_id", "email_" + user.UserId), ("second_factor_policy", "none")))).AssertOk();

        Assert.Equal("Grace Hopper", me.GetProperty("first_name").GetString());
        Assert.Equal("Grace Hopper", (await _system.MeAsync(user)).GetProperty("displayName").GetString());
        var session = (await app.Wacht().GetAsync("/session", user.SessionCookie)).AssertOk();
        Assert.Equal("Grace Hopper", session.GetProperty("active_signin").GetProperty("user").GetProperty("first_name").GetString());
        // JSON as well; a last name alone is appended to the name.
        var json = new StringContent("""{"last_name":"Jr."}""", global::System.Text.Encoding.UTF8, "application/json");
        Assert.Equal("Grace Hopper Jr.", (await app.Wacht().PostAsync("/me", user.SessionCookie, json)).AssertOk().GetProperty("first_name").GetString());
    }

    [Theory]
    [InlineData("first_name", " ")]
    [InlineData("first_name", "Line\nbreak")]
    [InlineData("username", "grace")]
    [InlineData("primary_phone_number_id", "phone_1")]
    [InlineData("primary_email_address_id", "email_usr_someone_else")]
    [InlineData("second_factor_policy", "enforced")]
    public async Task Profile_fields_tenantry_does_not_hold_or_a_bad_name_are_refused(string field, string value)
    {
        var user = await _system.SignUpAsync(displayName: "Unchanged");

        (await app.Wacht().PostAsync("/me", user.SessionCookie, Form((field, value.Replace("\\n", "\n", StringComparison.Ordinal))))).AssertError(HttpStatusCode.BadRequest);

        Assert.Equal("Unchanged", (await _system.MeAsync(user)).GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task A_name_longer_than_the_limit_is_refused()
    {
        var user = await _system.SignUpAsync();
        (await app.Wacht().PostAsync("/me", user.SessionCookie, Form(("first_name", new string('a', 101))))).AssertError(HttpStatusCode.BadRequest);
    }
    [Fact]
    public async Task A_cross_site_page_cannot_sign_the_victim_out_or_rename_them()
    {
        var victim = await _system.SignUpAsync(displayName: "Victim");
        var (otherSession, otherCookie) = await SignInAgainAsync(victim);
        Task<WachtResponse> FromEvil(string path, HttpContent? body = null) =>
            app.Wacht().SendAsync(HttpMethod.Post, path, victim.SessionCookie, body ?? WachtApi.EmptyForm(),
                configure: r => r.Headers.TryAddWithoutValidation("Origin", "https://evil.example.net"));

        (await FromEvil("/session/sign-out")).AssertError(HttpStatusCode.Forbidden);
        (await FromEvil($"/me/signins/{otherSession}/signout")).AssertError(HttpStatusCode.Forbidden);
        (await FromEvil("/me", Form(("first_name", "Pwned")))).AssertError(HttpStatusCode.Forbidden);

        (await app.Wacht().GetAsync("/me", victim.SessionCookie)).AssertOk();
        Assert.Equal("Victim", (await app.Wacht().GetAsync("/me", otherCookie)).AssertOk().GetProperty("first_name").GetString());
    }
}
