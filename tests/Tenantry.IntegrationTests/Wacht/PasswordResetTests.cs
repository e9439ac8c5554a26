using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tenantry.Application.Outbox;
using Tenantry.Application.Security;
using Tenantry.Domain.Audit;
using Tenantry.IntegrationTests.Infrastructure;
using static Tenantry.IntegrationTests.Wacht.WachtForms;

namespace Tenantry.IntegrationTests.Wacht;

/// <summary>
/// Wacht's forgot-password screen (<c>useForgotPassword</c>: the email, then the emailed code, then the new password) against
/// <c>/auth/forgot-password</c> and <c>/auth/reset-password</c>, over the <c>PasswordReset</c> use cases.
/// </summary>
public sealed class PasswordResetTests(WachtAuthApp app) : IClassFixture<WachtAuthApp>
{
    private const string NewPassword = "a brand new passphrase";

    private readonly SystemApi _system = app.System;
    private readonly WachtApi _wacht = app.Wacht();

    private Task<WachtResponse> ForgotAsync(string email, string? clientIp = WachtApi.ClientIp) =>
        _wacht.SendAsync(HttpMethod.Post, "/auth/forgot-password", null, Form(("email", email)), clientIp);

    private Task<WachtResponse> VerifyCodeAsync(string email, string code) =>
        _wacht.PostAsync("/auth/forgot-password", null, Form(("email", email), ("otp", code)));

    private Task<WachtResponse> ResetAsync(string token, string password) =>
        _wacht.PostAsync("/auth/reset-password", null, Form(("token", token), ("password", password)));

    /// <summary>The code of the newest reset email queued for the user, decrypted with the server's key ring.</summary>
    private async Task<string> QueuedCodeAsync(string userId)
    {
        var messages = await app.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.Kind == OutboxKinds.PasswordReset).ToListAsync());
        var newest = messages.Where(m => m.Payload.Contains(userId, StringComparison.Ordinal)).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).Last();
        var payload = OutboxWriter.Read<PasswordResetPayload>(newest);
        return app.Services.GetRequiredService<SecretsAtRest>().UnprotectText(SecretKind.OutboxSecret, payload.ProtectedCode);
    }

    private async Task<string> TokenAsync(TestUser user)
    {
        (await ForgotAsync(user.Email)).AssertOk(signedIn: false);
        var code = await QueuedCodeAsync(user.UserId);
        return (await VerifyCodeAsync(user.Email, code)).AssertOk(signedIn: false).GetProperty("token").GetString()!;
    }

    private static string Other(string code) => code == "000000" ? "000001" : "000000";

    [Fact]
    public async Task The_email_the_code_and_the_new_password_sign_in_end_every_other_session_and_are_recorded()
    {
        var user = await _system.SignUpAsync();

        var asked = (await ForgotAsync(user.Email)).AssertOk(signedIn: false);
        Assert.Equal("{}", asked.GetRawText());
        var code = await QueuedCodeAsync(user.UserId);
        Assert.Matches("^[0-9]{6}$", code);
        var token = (await VerifyCodeAsync(user.Email.ToUpperInvariant(), code)).AssertOk(signedIn: false).GetProperty("token").GetString()!;

        var reset = await ResetAsync(token, NewPassword);
        var session = reset.AssertOk();
        var attempt = Assert.Single(session.GetProperty("signin_attempts").EnumerateArray());
        Assert.True(attempt.GetProperty("completed").GetBoolean());
        Assert.Equal(user.UserId, attempt.GetProperty("user_id").GetString());
        Assert.Equal(user.UserId, (await _wacht.GetAsync("/me", reset.SessionCookie())).AssertOk().GetProperty("id").GetString());

        // The session that was open before is over; the old password no longer works, the new one does.
        (await _wacht.GetAsync("/me", user.SessionCookie)).AssertError(HttpStatusCode.Unauthorized);
        (await _wacht.SignInAsync(user.Email, user.Password)).AssertError(HttpStatusCode.Unauthorized);
        (await _wacht.SignInAsync(user.Email, NewPassword)).AssertOk();
        var events = await app.WithDbAsync(db => db.AccountEvents.AsNoTracking().Where(e => e.UserId == user.UserId && e.Action == AccountActions.PasswordReset)
            .ToListAsync());
        var recorded = Assert.Single(events);
        Assert.Equal(AccountActors.User, recorded.Actor);
        Assert.Equal(1, JsonDocument.Parse(recorded.Details).RootElement.GetProperty("sessionsSignedOut").GetInt32());

        // Once: the token and the code are spent.
        Assert.Equal(Catalog.Text("en", "Error.PasswordResetInvalid"), (await ResetAsync(token, "yet another passphrase")).AssertError(HttpStatusCode.BadRequest));
        (await VerifyCodeAsync(user.Email, code)).AssertError(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_unknown_address_gets_the_same_answer_and_no_email()
    {
        var user = await _system.SignUpAsync();
        var unknown = SystemApi.NewEmail("nobody");

        var known = await ForgotAsync(user.Email);
        var stranger = await ForgotAsync(unknown);

        Assert.Equal(known.Status, stranger.Status);
        Assert.Equal(known.Body, stranger.Body);
        var queued = await app.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.Kind == OutboxKinds.PasswordReset).Select(m => m.Payload).ToListAsync());
        Assert.DoesNotContain(queued, p => p.Contains(unknown, StringComparison.OrdinalIgnoreCase));
        // A code for it is as wrong as a wrong code for a real account.
        var code = await QueuedCodeAsync(user.UserId);
        Assert.Equal((await VerifyCodeAsync(user.Email, Other(code))).AssertError(HttpStatusCode.BadRequest),
            (await VerifyCodeAsync(unknown, code)).AssertError(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task A_code_allows_five_tries_and_asking_again_replaces_it()
    {
        var user = await _system.SignUpAsync();
        (await ForgotAsync(user.Email)).AssertOk(signedIn: false);
        var first = await QueuedCodeAsync(user.UserId);

        app.Clock.Advance(TimeSpan.FromSeconds(1));
        (await ForgotAsync(user.Email)).AssertOk(signedIn: false);
        var second = await QueuedCodeAsync(user.UserId);
        if (first != second)
        {
            (await VerifyCodeAsync(user.Email, first)).AssertError(HttpStatusCode.BadRequest);
        }
        for (var i = first != second ? 1 : 0; i < 5; i++)
        {
            (await VerifyCodeAsync(user.Email, Other(second))).AssertError(HttpStatusCode.BadRequest);
        }
        // Out of tries: the right code no longer works either.
        (await VerifyCodeAsync(user.Email, second)).AssertError(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Codes_and_tokens_expire()
    {
        var user = await _system.SignUpAsync();
        (await ForgotAsync(user.Email)).AssertOk(signedIn: false);
        var code = await QueuedCodeAsync(user.UserId);
        app.Clock.Advance(TimeSpan.FromMinutes(16));
        (await VerifyCodeAsync(user.Email, code)).AssertError(HttpStatusCode.BadRequest);

        var token = await TokenAsync(user);
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        (await ResetAsync(token, NewPassword)).AssertError(HttpStatusCode.BadRequest);
        (await _wacht.SignInAsync(user.Email, user.Password)).AssertOk();
    }

    [Fact]
    public async Task A_reset_ends_the_sign_in_lockout()
    {
        var user = await _system.SignUpAsync();
        for (var i = 0; i < 3; i++)
        {
            await _wacht.SignInAsync(user.Email, "wrong " + i);
        }
        (await _wacht.SignInAsync(user.Email, user.Password)).AssertError(HttpStatusCode.TooManyRequests);

        (await ResetAsync(await TokenAsync(user), NewPassword)).AssertOk();

        (await _wacht.SignInAsync(user.Email, NewPassword)).AssertOk();
    }

    [Fact]
    public async Task An_account_with_an_authenticator_still_owes_its_second_factor()
    {
        var user = await _system.SignUpAsync();
        var authenticator = await _system.EnableMfaAsync(user, app.Clock.GetUtcNow());
        app.NextTotpStep();

        var reset = await ResetAsync(await TokenAsync(user), NewPassword);

        var pending = Assert.Single(reset.AssertOk(signedIn: false).GetProperty("signin_attempts").EnumerateArray());
        Assert.False(reset.SetsSessionCookie());
        Assert.Equal("verify_second_factor", pending.GetProperty("current_step").GetString());
        Assert.Equal(user.Email, pending.GetProperty("email").GetString());
        (await _wacht.CompleteSignInAsync(pending.GetProperty("id").GetString()!, authenticator.CodeAt(app.Clock.GetUtcNow()))).AssertOk();
    }

    [Fact]
    public async Task Bad_input_is_a_wacht_error_never_a_500()
    {
        var user = await _system.SignUpAsync();

        (await _wacht.PostAsync("/auth/forgot-password", null)).AssertError(HttpStatusCode.BadRequest);
        (await ForgotAsync(new string('a', 400) + "@example.com")).AssertError(HttpStatusCode.BadRequest);
        (await VerifyCodeAsync(user.Email, "")).AssertError(HttpStatusCode.BadRequest);
        (await VerifyCodeAsync(user.Email, new string('9', 5000))).AssertError(HttpStatusCode.BadRequest);
        (await VerifyCodeAsync("", "123456")).AssertError(HttpStatusCode.BadRequest);
        (await _wacht.PostAsync("/auth/reset-password", null)).AssertError(HttpStatusCode.BadRequest);
        (await ResetAsync("made-up", NewPassword)).AssertError(HttpStatusCode.BadRequest);
        (await ResetAsync(new string('x', 5000), NewPassword)).AssertError(HttpStatusCode.BadRequest);
        var token = await TokenAsync(user);
        (await ResetAsync(token, "short")).AssertError(HttpStatusCode.BadRequest);
        // A refused password spends nothing: the token still works.
        (await ResetAsync(token, NewPassword)).AssertOk();
        Assert.Equal(Catalog.Text("ja", "Error.PasswordResetInvalid"),
            (await _wacht.SendAsync(HttpMethod.Post, "/auth/reset-password", null, Form(("token", token), ("password", NewPassword)), language: "ja"))
                .AssertError(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task A_bad_captcha_pass_is_refused_even_where_none_is_required()
    {
        var user = await _system.SignUpAsync();

        var refused = await _wacht.SendAsync(HttpMethod.Post, "/auth/signin", null,
            Form(("strategy", "plain_email"), ("email", user.Email), ("password", user.Password), ("challenge_token", "forged")));

        Assert.Equal(Catalog.Text("en", "Error.CaptchaInvalid"), refused.AssertError(HttpStatusCode.BadRequest));
        (await _wacht.SignInAsync(user.Email, user.Password)).AssertOk();
    }
}
