using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.System;

/// <summary>
/// Email verification (issue 13): sign-up sends a link and a code; either proves the address once, before it expires;
/// a code allows five tries; a new email makes the old one worthless. Every case reads the email the SMTP server got
/// and follows it over HTTP, as the account's owner would.
/// </summary>
public sealed class EmailVerificationTests(MailApp app) : IClassFixture<MailApp>
{
    private const string Verify = "/web/v1/auth/email/verify";
    private const string Resend = "/web/v1/auth/email/verify/resend";

    private static readonly string[] s_accountFields = ["userBizId", "email", "displayName", "emailVerified", "createdAt"];

    private readonly SystemApi _api = app.System;

    private static string Other(string code) =>
        ((int.Parse(code, CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    private Task<List<Domain.Audit.AccountEvent>> EventsAsync(string userId) =>
        app.WithDbAsync(db => db.AccountEvents.AsNoTracking().Where(e => e.UserId == userId).OrderBy(e => e.CreatedAt).ToListAsync());

    [Fact]
    public async Task Sign_up_sends_a_link_and_a_code_and_the_account_starts_unverified()
    {
        var user = await _api.SignUpAsync(SystemApi.NewEmail("fresh"), "Fresh Person");

        var me = await _api.MeAsync(user);
        Assert.Equal(s_accountFields, me.EnumerateObject().Select(p => p.Name));
        Assert.Equal(user.UserId, me.Text("userBizId"));
        Assert.Equal(user.Email, me.Text("email"));
        Assert.Equal("Fresh Person", me.Text("displayName"));
        Assert.False(me.Flag("emailVerified"));

        var email = (await app.Smtp.VerificationEmailAsync(user.Email));
        Assert.Equal("Verify your email address", email.Subject);
        Assert.Contains("Hello Fresh Person,", email.Text());
        Assert.Matches("^[0-9]{6}$", email.VerificationCode());
        Assert.Contains(MailApp.VerifyUrl.Replace("{token}", email.VerificationToken(), StringComparison.Ordinal), email.Text());
        var stored = await app.WithDbAsync(db => db.EmailVerifications.AsNoTracking().SingleAsync(v => v.UserId == user.UserId));
        Assert.Equal(TimeSpan.FromHours(24), stored.ExpiresAt - stored.CreatedAt);
    }

    [Fact]
    public async Task The_link_token_verifies_without_sign_in_and_only_once()
    {
        var user = await _api.SignUpAsync();
        var token = (await app.Smtp.VerificationEmailAsync(user.Email)).VerificationToken();

        var verified = (await _api.PostAsync(Verify, new { token })).AssertOk();

        Assert.Equal(user.UserId, verified.Text("userBizId"));
        Assert.True(verified.Flag("emailVerified"));
        Assert.True((await _api.MeAsync(user)).Flag("emailVerified"));
        (await _api.PostAsync(Verify, new { token })).AssertEnvelope(HttpStatusCode.BadRequest, "AUTH.EMAIL_VERIFICATION_INVALID");
        var verifiedEvent = Assert.Single(await EventsAsync(user.UserId));
        Assert.Equal(("email.verified", "user", user.UserId, "198.51.100.7"),
            (verifiedEvent.Action, verifiedEvent.Actor, verifiedEvent.ActorUserId, verifiedEvent.ClientIp));
        Assert.Equal("link", JsonDocument.Parse(verifiedEvent.Details).RootElement.Text("method"));
        // Nothing left to send.
        (await _api.PostAsync(Resend, token: user.AccessToken)).AssertEnvelope(HttpStatusCode.Conflict, "AUTH.EMAIL_ALREADY_VERIFIED");
    }

    [Fact]
    public async Task The_code_verifies_the_signed_in_account_and_is_not_accepted_without_it()
    {
        var user = await _api.SignUpAsync();
        var email = (await app.Smtp.VerificationEmailAsync(user.Email));
        var code = email.VerificationCode();

        (await _api.PostAsync(Verify, new { code })).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        (await _api.PostAsync(Verify, new { code }, token: "not-a-token")).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        Assert.False((await _api.MeAsync(user)).Flag("emailVerified"));

        var verified = (await _api.PostAsync(Verify, new { code }, user.AccessToken)).AssertOk();

        Assert.True(verified.Flag("emailVerified"));
        Assert.Equal("code", JsonDocument.Parse(Assert.Single(await EventsAsync(user.UserId)).Details).RootElement.Text("method"));
        // Spent: withdrawn by an operator, the address cannot be proven again with the same code or link.
        (await _api.AdminPatchAsync($"/admin/v1/users/{user.UserId}", new { emailVerified = false })).AssertOk();
        (await _api.PostAsync(Verify, new { code }, user.AccessToken)).AssertEnvelope(HttpStatusCode.BadRequest, "AUTH.EMAIL_VERIFICATION_INVALID");
        (await _api.PostAsync(Verify, new { token = email.VerificationToken() })).AssertEnvelope(HttpStatusCode.BadRequest, "AUTH.EMAIL_VERIFICATION_INVALID");
        Assert.False((await _api.MeAsync(user)).Flag("emailVerified"));
    }

    [Fact]
    public async Task A_code_allows_five_tries_after_which_even_the_right_one_is_refused()
    {
        var user = await _api.SignUpAsync();
        var code = (await app.Smtp.VerificationEmailAsync(user.Email)).VerificationCode();

        for (var i = 0; i < 5; i++)
        {
            (await _api.PostAsync(Verify, new { code = Other(code) }, user.AccessToken)).AssertEnvelope(HttpStatusCode.BadRequest, "AUTH.EMAIL_VERIFICATION_INVALID");
        }
        (await _api.PostAsync(Verify, new { code }, user.AccessToken)).AssertEnvelope(HttpStatusCode.BadRequest, "AUTH.EMAIL_VERIFICATION_INVALID");

        Assert.False((await _api.MeAsync(user)).Flag("emailVerified"));
        Assert.Empty(await EventsAsync(user.UserId));
        // A new email brings a new code with its own five tries.
        (await _api.PostAsync(Resend, token: user.AccessToken)).AssertOk();
        var fresh = (await app.Smtp.VerificationEmailAsync(user.Email, 2)).VerificationCode();
        (await _api.PostAsync(Verify, new { code = fresh }, user.AccessToken)).AssertOk();
    }

    [Fact]
    public async Task Concurrent_guesses_get_no_more_than_five_tries()
    {
        var user = await _api.SignUpAsync();
        var code = (await app.Smtp.VerificationEmailAsync(user.Email)).VerificationCode();

        var guesses = await Task.WhenAll(Enumerable.Range(1, 20).Select(i =>
            _api.PostAsync(Verify, new { code = ((int.Parse(code, CultureInfo.InvariantCulture) + i) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture) },
                user.AccessToken)));

        Assert.All(guesses, g => g.AssertEnvelope(HttpStatusCode.BadRequest, "AUTH.EMAIL_VERIFICATION_INVALID"));
        Assert.Equal(5, await app.WithDbAsync(db => db.EmailVerifications.Where(v => v.UserId == user.UserId).Select(v => v.CodeAttempts).SingleAsync()));
        (await _api.PostAsync(Verify, new { code }, user.AccessToken)).AssertEnvelope(HttpStatusCode.BadRequest, "AUTH.EMAIL_VERIFICATION_INVALID");
        Assert.False((await _api.MeAsync(user)).Flag("emailVerified"));
    }

    [Fact]
    public async Task An_expired_link_or_code_verifies_nothing()
    {
        var user = await _api.SignUpAsync();
        var email = (await app.Smtp.VerificationEmailAsync(user.Email));
        await app.WithDbAsync(db => db.EmailVerifications.Where(v => v.UserId == user.UserId)
            .ExecuteUpdateAsync(v => v.SetProperty(x => x.ExpiresAt, DateTime.UtcNow.AddSeconds(-1))));

        (await _api.PostAsync(Verify, new { token = email.VerificationToken() })).AssertEnvelope(HttpStatusCode.BadRequest, "AUTH.EMAIL_VERIFICATION_INVALID");
        (await _api.PostAsync(Verify, new { code = email.VerificationCode() }, user.AccessToken))
            .AssertEnvelope(HttpStatusCode.BadRequest, "AUTH.EMAIL_VERIFICATION_INVALID");

        Assert.False((await _api.MeAsync(user)).Flag("emailVerified"));
    }

    [Fact]
    public async Task The_sweeper_removes_verifications_a_day_after_they_expired()
    {
        var stale = await _api.SignUpAsync();
        var recent = await _api.SignUpAsync();
        await app.WithDbAsync(async db =>
        {
            await db.EmailVerifications.Where(v => v.UserId == stale.UserId).ExecuteUpdateAsync(v => v.SetProperty(x => x.ExpiresAt, DateTime.UtcNow.AddDays(-2)));
            await db.EmailVerifications.Where(v => v.UserId == recent.UserId).ExecuteUpdateAsync(v => v.SetProperty(x => x.ExpiresAt, DateTime.UtcNow.AddHours(-1)));
        });

        await app.WithDbAsync(db => Application.Security.ExpiredRecords.SweepAsync(db, new Application.Accounts.AuthOptions(), DateTimeOffset.UtcNow, CancellationToken.None));

        Assert.Equal(0, await app.CountAsync<Domain.Accounts.EmailVerification>(q => q.Where(v => v.UserId == stale.UserId)));
        Assert.Equal(1, await app.CountAsync<Domain.Accounts.EmailVerification>(q => q.Where(v => v.UserId == recent.UserId)));
    }

    [Fact]
    public async Task A_resent_email_makes_the_earlier_link_and_code_worthless()
    {
        var user = await _api.SignUpAsync();
        var first = (await app.Smtp.VerificationEmailAsync(user.Email));

        var sent = (await _api.PostAsync(Resend, token: user.AccessToken)).AssertOk();

        Assert.Equal(user.Email, sent.Text("email"));
        Assert.True(sent.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(23));
        var second = await app.Smtp.VerificationEmailAsync(user.Email, 2);
        Assert.NotEqual(first.VerificationToken(), second.VerificationToken());
        (await _api.PostAsync(Verify, new { token = first.VerificationToken() })).AssertEnvelope(HttpStatusCode.BadRequest, "AUTH.EMAIL_VERIFICATION_INVALID");
        if (first.VerificationCode() != second.VerificationCode())
        {
            (await _api.PostAsync(Verify, new { code = first.VerificationCode() }, user.AccessToken))
                .AssertEnvelope(HttpStatusCode.BadRequest, "AUTH.EMAIL_VERIFICATION_INVALID");
        }
        Assert.False((await _api.MeAsync(user)).Flag("emailVerified"));
        (await _api.PostAsync(Verify, new { token = second.VerificationToken() })).AssertOk();
        Assert.True((await _api.MeAsync(user)).Flag("emailVerified"));
    }

    [Fact]
    public async Task Concurrent_resends_leave_one_open_verification_and_never_fail()
    {
        var user = await _api.SignUpAsync();
        // Verified and withdrawn again: the account has no open verification, so the resends race to create one.
        (await _api.PostAsync(Verify, new { token = (await app.Smtp.VerificationEmailAsync(user.Email)).VerificationToken() })).AssertOk();
        (await _api.AdminPatchAsync($"/admin/v1/users/{user.UserId}", new { emailVerified = false })).AssertOk();
        Assert.Equal(0, await app.CountAsync<Domain.Accounts.EmailVerification>(q => q.Where(v => v.UserId == user.UserId)));

        var resends = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _api.PostAsync(Resend, token: user.AccessToken)));

        Assert.All(resends, r => r.AssertOk());
        Assert.Equal(1, await app.CountAsync<Domain.Accounts.EmailVerification>(q => q.Where(v => v.UserId == user.UserId)));
        // The email of the one that stands goes out (the others are dropped unsent, or arrive and open nothing).
        await Eventually.TrueAsync(async () =>
        {
            foreach (var email in await app.Smtp.ToAsync(user.Email, 2, Mail.IsVerification))
            {
                if ((await _api.PostAsync(Verify, new { token = email.VerificationToken() })).Status == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            return false;
        }, TimeSpan.FromSeconds(30));
        Assert.True((await _api.MeAsync(user)).Flag("emailVerified"));
    }

    [Fact]
    public async Task A_link_verifies_the_account_it_was_sent_to_whoever_is_signed_in()
    {
        var owner = await _api.SignUpAsync();
        var bystander = await _api.SignUpAsync();
        var token = (await app.Smtp.VerificationEmailAsync(owner.Email)).VerificationToken();

        var verified = (await _api.PostAsync(Verify, new { token }, bystander.AccessToken)).AssertOk();

        Assert.Equal(owner.UserId, verified.Text("userBizId"));
        Assert.True((await _api.MeAsync(owner)).Flag("emailVerified"));
        Assert.False((await _api.MeAsync(bystander)).Flag("emailVerified"));
    }

    [Theory]
    [InlineData("""{}""", "$.token")]
    [InlineData("""{"token":"   "}""", "$.token")]
    [InlineData("""{"token":5}""", "$.token")]
    [InlineData("""{"code":123456}""", "$.code")]
    [InlineData("""[]""", "$")]
    public async Task Malformed_verification_requests_are_4000(string body, string field)
    {
        var user = await _api.SignUpAsync();
        (await _api.PostAsync(Verify, body, user.AccessToken)).AssertValidationError(field);
        (await _api.PostAsync(Verify, new { token = new string('t', 200) })).AssertValidationError("$.token");
        (await _api.PostAsync(Verify, new { code = new string('1', 40) }, user.AccessToken)).AssertValidationError("$.code");
        Assert.False((await _api.MeAsync(user)).Flag("emailVerified"));
    }

    [Fact]
    public async Task Me_and_resend_need_a_session()
    {
        (await _api.GetAsync("/web/v1/auth/me")).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        (await _api.PostAsync(Resend)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        (await _api.SendAsync(HttpMethod.Post, Verify, new { token = "x" }, portalCode: null)).AssertEnvelope(HttpStatusCode.Forbidden, "GATEWAY.PORTAL_ACCESS_DENIED");
    }

    [Fact]
    public async Task Neither_the_outbox_nor_the_tables_hold_a_link_token_or_code_in_clear()
    {
        var owner = await _api.SignUpAsync();
        var ws = await _api.CreateWorkspaceAsync(owner, "Secrets Inc");
        var invited = SystemApi.NewEmail("invited");
        var invitationId = await _api.InvitedAsync(owner, ws, invited, await _api.RoleIdAsync(owner, ws, "Member"));
        var verification = (await app.Smtp.VerificationEmailAsync(owner.Email));
        var invitation = (await app.Smtp.InvitationEmailAsync(invited));
        var secrets = new[] { verification.VerificationToken(), verification.VerificationCode(), invitation.InvitationToken() };

        var payloads = await app.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Select(m => m.Payload).ToListAsync());
        var stored = await app.WithDbAsync(async db => string.Join("\n",
            (await db.EmailVerifications.AsNoTracking().ToListAsync()).Select(v => $"{v.Id} {v.TokenHash} {v.CodeHash}")
                .Concat(await db.Invitations.AsNoTracking().Select(i => i.Id + " " + i.TokenHash).ToListAsync())));

        Assert.Contains(payloads, p => p.Contains(invitationId, StringComparison.Ordinal));
        // (PostgreSQL's jsonb rewrites the text, so the payload is read as JSON.)
        var ownVerification = payloads.Select(p => JsonDocument.Parse(p).RootElement)
            .Single(p => p.TryGetProperty("verificationId", out _) && p.Text("userId") == owner.UserId);
        Assert.StartsWith("dp1:", ownVerification.Text("protectedCode"));
        Assert.StartsWith("dp1:", ownVerification.Text("protectedToken"));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(payloads, p => p.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        }
        // The secrets in the emails are the real ones.
        (await _api.PostAsync(Verify, new { token = secrets[0] })).AssertOk();
    }
}

/// <summary>Sending the verification email again is limited per account and per client IP.</summary>
public sealed class VerificationResendLimitTests(VerificationResendLimitTests.LimitedApp app) : IClassFixture<VerificationResendLimitTests.LimitedApp>
{
    public sealed class LimitedApp : TenantryApp
    {
        protected override void Configure(IDictionary<string, string?> settings)
        {
            settings["Tenantry:Auth:VerificationResendsPerAccount"] = "2";
            settings["Tenantry:Auth:VerificationResendsPerIp"] = "3";
            settings["Tenantry:Auth:VerificationAttemptsPerIp"] = "4";
        }
    }

    private const string Resend = "/web/v1/auth/email/verify/resend";

    private readonly SystemApi _api = app.System;

    [Fact]
    public async Task Per_account_the_third_resend_within_the_hour_is_429_with_retry_after()
    {
        var user = await _api.SignUpAsync();
        // Each request from its own address, so that only the account's limit can refuse.
        for (var i = 1; i <= 2; i++)
        {
            (await _api.SendAsync(HttpMethod.Post, Resend, token: user.AccessToken, clientIp: $"203.0.113.{i}")).AssertOk();
        }

        var refused = await _api.SendAsync(HttpMethod.Post, Resend, token: user.AccessToken, clientIp: "203.0.113.3");

        refused.AssertEnvelope(HttpStatusCode.TooManyRequests, "4290");
        Assert.True(int.Parse(refused.Header("Retry-After")!, CultureInfo.InvariantCulture) > 0);
        // Another account is not affected.
        var other = await _api.SignUpAsync();
        (await _api.SendAsync(HttpMethod.Post, Resend, token: other.AccessToken, clientIp: "203.0.113.4")).AssertOk();
    }

    [Fact]
    public async Task Per_client_ip_the_fourth_resend_within_the_hour_is_429_whoever_asks()
    {
        const string ip = "198.51.100.200";
        for (var i = 0; i < 3; i++)
        {
            var user = await _api.SignUpAsync();
            (await _api.SendAsync(HttpMethod.Post, Resend, token: user.AccessToken, clientIp: ip)).AssertOk();
        }
        var late = await _api.SignUpAsync();

        var refused = await _api.SendAsync(HttpMethod.Post, Resend, token: late.AccessToken, clientIp: ip);

        refused.AssertEnvelope(HttpStatusCode.TooManyRequests, "4290");
        Assert.NotNull(refused.Header("Retry-After"));
        (await _api.SendAsync(HttpMethod.Post, Resend, token: late.AccessToken, clientIp: "198.51.100.201")).AssertOk();
    }

    [Fact]
    public async Task Per_client_ip_verification_attempts_are_limited_too()
    {
        const string ip = "198.51.100.210";
        for (var i = 0; i < 4; i++)
        {
            (await _api.SendAsync(HttpMethod.Post, "/web/v1/auth/email/verify", new { token = $"guess-{i}" }, clientIp: ip))
                .AssertEnvelope(HttpStatusCode.BadRequest, "AUTH.EMAIL_VERIFICATION_INVALID");
        }

        var refused = await _api.SendAsync(HttpMethod.Post, "/web/v1/auth/email/verify", new { token = "guess-5" }, clientIp: ip);

        refused.AssertEnvelope(HttpStatusCode.TooManyRequests, "4290");
        Assert.NotNull(refused.Header("Retry-After"));
    }
}
