using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Tenantry.Data;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Security;

/// <summary>MFA on a movable clock; the lockout threshold is above the five tries a challenge allows (lockouts have their own tests).</summary>
public sealed class MfaApp : ClockedTenantryApp
{
    protected override void Configure(IDictionary<string, string?> settings) => settings["Tenantry:Auth:LockoutThreshold"] = "20";
}

/// <summary>TOTP MFA: enrol, confirm, the sign-in challenge, step-up, recovery codes, disable.</summary>
public sealed class MfaTests(MfaApp app) : IClassFixture<MfaApp>
{
    private readonly SystemApi _api = app.System;

    private DateTimeOffset Now => app.Clock.GetUtcNow();

    private static string[] Amr(string accessToken) =>
        new JsonWebToken(accessToken).Claims.Where(c => c.Type == "amr").Select(c => c.Value).ToArray();

    [Fact]
    public async Task Enrolment_returns_the_secret_uri_and_qr_code_and_stays_pending_until_confirmed()
    {
        var user = await _api.SignUpAsync();
        var data = (await _api.PostAsync(MfaApi.Enroll, token: user.AccessToken)).AssertOk();

        Assert.Equal(["secret", "otpauthUri", "qrCode", "issuer", "accountName", "digits", "period", "algorithm"], data.EnumerateObject().Select(p => p.Name));
        var secret = data.GetProperty("secret").GetString()!;
        Assert.Matches("^[A-Z2-7]{32}$", secret);
        var uri = data.GetProperty("otpauthUri").GetString()!;
        Assert.StartsWith("otpauth://totp/Tenantry:", uri);
        Assert.Contains($"secret={secret}", uri);
        Assert.Contains("issuer=Tenantry", uri);
        var qr = data.GetProperty("qrCode").GetString()!;
        Assert.StartsWith("data:image/svg+xml;base64,", qr);
        Assert.Contains("<svg", Encoding.UTF8.GetString(Convert.FromBase64String(qr["data:image/svg+xml;base64,".Length..])));

        var status = (await _api.GetAsync(MfaApi.Status, user.AccessToken)).AssertOk();
        Assert.False(status.GetProperty("enabled").GetBoolean());
        Assert.True(status.GetProperty("pending").GetBoolean());
        // A pending enrolment does not change sign-in yet.
        (await _api.PostAsync("/web/v1/auth/sign-in", new { email = user.Email, password = user.Password })).AssertOk();
    }

    [Fact]
    public async Task The_secret_is_stored_encrypted()
    {
        var user = await _api.SignUpAsync();
        var secret = (await _api.PostAsync(MfaApi.Enroll, token: user.AccessToken)).AssertOk().GetProperty("secret").GetString()!;
        var stored = await app.WithDbAsync(db => db.TotpAuthenticators.Where(t => t.UserId == user.UserId).Select(t => t.ProtectedSecret).SingleAsync());

        Assert.StartsWith("dp1:", stored);
        Assert.DoesNotContain(secret, stored, StringComparison.OrdinalIgnoreCase);
        var raw = Convert.ToBase64String(OtpNet.Base32Encoding.ToBytes(secret));
        Assert.DoesNotContain(raw, stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_enrolments_of_one_user_all_answer_and_the_last_secret_stored_is_the_one_that_confirms()
    {
        var user = await _api.SignUpAsync();

        // All at once: they race to create the user's one authenticator row.
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _api.PostAsync(MfaApi.Enroll, token: user.AccessToken)));

        var secrets = answers.Select(a => a.AssertOk().GetProperty("secret").GetString()!).ToList();
        Assert.Equal(8, secrets.Distinct().Count());
        var confirmed = 0;
        foreach (var secret in secrets)
        {
            var code = new TestAuthenticator(OtpNet.Base32Encoding.ToBytes(secret), []).CodeAt(Now);
            if ((await _api.PostAsync(MfaApi.Confirm, new { code }, user.AccessToken)).Status == HttpStatusCode.OK)
            {
                confirmed++;
            }
        }
        Assert.Equal(1, confirmed);
    }

    [Fact]
    public async Task Concurrent_confirms_with_the_right_code_confirm_once_with_one_set_of_recovery_codes()
    {
        var user = await _api.SignUpAsync();
        var secret = (await _api.PostAsync(MfaApi.Enroll, token: user.AccessToken)).AssertOk().GetProperty("secret").GetString()!;
        var code = new TestAuthenticator(OtpNet.Base32Encoding.ToBytes(secret), []).CodeAt(Now);

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _api.PostAsync(MfaApi.Confirm, new { code }, user.AccessToken)));

        var confirmed = Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.OK), a => a.AssertEnvelope(HttpStatusCode.Conflict, "AUTH.MFA_ALREADY_ENABLED"));
        var handedOut = confirmed.AssertOk().GetProperty("recoveryCodes").EnumerateArray().Select(c => Tenantry.Application.Accounts.Mfa.RecoveryCodes.Hash(c.GetString()!)).ToHashSet();
        var stored = await app.WithDbAsync(db => db.RecoveryCodes.Where(c => c.UserId == user.UserId).Select(c => c.CodeHash).ToListAsync());
        Assert.Equal(handedOut.Order(), stored.Order());
    }

    /// <summary>
    /// The enrolment-versus-confirm race, interleaved deterministically: the test is the confirm in
    /// flight (it holds the enrolment's row lock in an open transaction) and commits only once
    /// PostgreSQL shows the restarted enrolment's statement on that table waiting for the test's
    /// backend. With the row lock the enrolment waits there before reading and then finds the row
    /// confirmed; without it the enrolment would read the pending row, wait at its write and then
    /// overwrite the confirmed secret. PostgreSQL only: SQLite transactions begin IMMEDIATE with
    /// the database-wide write lock, so there an enrolment cannot read before a confirm commits
    /// (the interleaving does not exist) and SQLite has no view in which a test could see a wait.
    /// </summary>
    [Fact]
    [Trait(PostgresOnly.Trait, PostgresOnly.Value)]
    public async Task An_enrolment_that_waited_on_a_confirm_in_flight_finds_it_confirmed()
    {
        PostgresOnly.Require();
        var user = await _api.SignUpAsync();
        (await _api.PostAsync(MfaApi.Enroll, token: user.AccessToken)).AssertOk();

        string? confirmedSecret = null;
        ApiResponse? restarted = null;
        await app.WithDbAsync(async db =>
        {
            // Through the transaction runner: the PostgreSQL providers' execution strategy refuses a transaction begun outside it.
            await db.InTransactionAsync(async transaction =>
            {
                Assert.True(await db.LockTotpAuthenticatorAsync(user.UserId, CancellationToken.None));
                var backend = await db.Database.SqlQueryRaw<int>("SELECT pg_backend_pid() AS \"Value\"").SingleAsync();
                var table = db.Model.FindEntityType(typeof(Domain.Accounts.TotpAuthenticator))!.GetTableName()!;
                confirmedSecret = await db.TotpAuthenticators.Where(t => t.UserId == user.UserId).Select(t => t.ProtectedSecret).SingleAsync();

                var enrol = _api.PostAsync(MfaApi.Enroll, token: user.AccessToken);
                // The observable event: a statement on the enrolment's table waits for this transaction's backend.
                await Eventually.TrueAsync(async () => enrol.IsCompleted || await app.WithDbAsync(probe => probe.Database.SqlQuery<int>(
                    $"SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE {backend} = ANY(pg_blocking_pids(pid)) AND query LIKE {"%" + table + "%"}")
                    .SingleAsync()) > 0, TimeSpan.FromSeconds(60));
                Assert.False(enrol.IsCompleted, $"The enrolment answered while the confirm held its row lock: {(enrol.IsCompleted ? await enrol : null)}");

                var now = Now.UtcDateTime;
                await db.TotpAuthenticators.Where(t => t.UserId == user.UserId).ExecuteUpdateAsync(t => t.SetProperty(x => x.ConfirmedAt, now));
                await transaction.CommitAsync();
                restarted = await enrol;
            }, CancellationToken.None);
        });

        restarted!.AssertEnvelope(HttpStatusCode.Conflict, "AUTH.MFA_ALREADY_ENABLED");
        var stored = await app.WithDbAsync(db => db.TotpAuthenticators.Where(t => t.UserId == user.UserId)
            .Select(t => new { t.ProtectedSecret, t.ConfirmedAt }).SingleAsync());
        Assert.Equal(confirmedSecret, stored.ProtectedSecret);
        Assert.NotNull(stored.ConfirmedAt);
    }

    [Fact]
    public async Task Confirm_needs_a_right_code_and_hands_out_hashed_one_time_recovery_codes()
    {
        var user = await _api.SignUpAsync();
        var secret = OtpNet.Base32Encoding.ToBytes((await _api.PostAsync(MfaApi.Enroll, token: user.AccessToken)).AssertOk().GetProperty("secret").GetString());
        var authenticator = new TestAuthenticator(secret, []);

        (await _api.PostAsync(MfaApi.Confirm, new { code = "000000" == authenticator.CodeAt(Now) ? "111111" : "000000" }, user.AccessToken))
            .AssertEnvelope(HttpStatusCode.BadRequest, "AUTH.INVALID_MFA_CODE");
        (await _api.PostAsync(MfaApi.Confirm, new { }, user.AccessToken)).AssertValidationError("$.code");

        var codes = (await _api.PostAsync(MfaApi.Confirm, new { code = authenticator.CodeAt(Now) }, user.AccessToken)).AssertOk()
            .GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToList();

        Assert.Equal(10, codes.Count);
        Assert.Equal(10, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}$", c));
        var stored = await app.WithDbAsync(db => db.RecoveryCodes.Where(c => c.UserId == user.UserId).Select(c => c.CodeHash).ToListAsync());
        Assert.Equal(10, stored.Count);
        Assert.All(codes, c => Assert.DoesNotContain(stored, h => h.Contains(c.Replace("-", ""), StringComparison.Ordinal)));

        var status = (await _api.GetAsync(MfaApi.Status, user.AccessToken)).AssertOk();
        Assert.True(status.GetProperty("enabled").GetBoolean());
        Assert.Equal(10, status.GetProperty("recoveryCodesRemaining").GetInt32());
        // Confirming proved the second factor on this session.
        Assert.True(status.GetProperty("sessionMfaVerified").GetBoolean());
        (await _api.PostAsync(MfaApi.Enroll, token: user.AccessToken)).AssertEnvelope(HttpStatusCode.Conflict, "AUTH.MFA_ALREADY_ENABLED");
    }

    [Fact]
    public async Task Sign_in_of_an_enrolled_user_answers_a_challenge_and_the_code_completes_it()
    {
        var user = await _api.SignUpAsync();
        var authenticator = await _api.EnableMfaAsync(user, Now);
        app.NextTotpStep();

        var first = await _api.PostAsync("/web/v1/auth/sign-in", new { email = user.Email, password = user.Password });
        var challenge = first.AssertEnvelope(HttpStatusCode.OK, "AUTH.MFA_REQUIRED");
        Assert.Equal(["mfaRequired", "challengeId", "expiresAt", "methods"], challenge.EnumerateObject().Select(p => p.Name));
        Assert.Equal("A second factor is required", first.MessageText);
        Assert.Null(first.Header("Set-Cookie"));
        var expiresAt = challenge.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.InRange(expiresAt - Now, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5.1));

        var completed = await _api.PostAsync(MfaApi.Challenge, new { challengeId = challenge.GetProperty("challengeId").GetString(), code = authenticator.CodeAt(Now) });
        var tokens = completed.AssertOk();

        Assert.Equal(user.UserId, tokens.GetProperty("userBizId").GetString());
        var accessToken = tokens.GetProperty("accessToken").GetString()!;
        Assert.Equal(["pwd", "otp"], Amr(accessToken));
        var cookie = completed.Message.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__session=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie);
        Assert.Contains("secure", cookie);
        Assert.Contains("samesite=lax", cookie);
        var sessionId = tokens.GetProperty("sessionId").GetString();
        Assert.NotNull(await app.WithDbAsync(db => db.Sessions.Where(s => s.Id == sessionId).Select(s => s.MfaVerifiedAt).SingleAsync()));
        // The refresh of an MFA session keeps the otp method.
        var refreshed = (await _api.PostAsync("/web/v1/auth/refresh", new { refreshToken = tokens.GetProperty("refreshToken").GetString() })).AssertOk();
        Assert.Equal(["pwd", "otp"], Amr(refreshed.GetProperty("accessToken").GetString()!));
    }

    [Fact]
    public async Task A_challenge_is_single_use_and_dies_after_five_wrong_codes()
    {
        var user = await _api.SignUpAsync();
        var authenticator = await _api.EnableMfaAsync(user, Now);
        app.NextTotpStep();

        var challengeId = await _api.SignInForChallengeAsync(user);
        var wrong = authenticator.CodeAt(Now.AddMinutes(10));
        for (var i = 0; i < 5; i++)
        {
            (await _api.PostAsync(MfaApi.Challenge, new { challengeId, code = wrong })).AssertEnvelope(HttpStatusCode.BadRequest, "AUTH.INVALID_MFA_CODE");
        }
        (await _api.PostAsync(MfaApi.Challenge, new { challengeId, code = authenticator.CodeAt(Now) }))
            .AssertEnvelope(HttpStatusCode.Unauthorized, "AUTH.MFA_CHALLENGE_INVALID");

        // A fresh challenge works (the lockout threshold of the user is not reached by these five), once.
        var fresh = await _api.SignInForChallengeAsync(user);
        (await _api.PostAsync(MfaApi.Challenge, new { challengeId = fresh, code = authenticator.CodeAt(Now) })).AssertOk();
        app.NextTotpStep();
        (await _api.PostAsync(MfaApi.Challenge, new { challengeId = fresh, code = authenticator.CodeAt(Now) }))
            .AssertEnvelope(HttpStatusCode.Unauthorized, "AUTH.MFA_CHALLENGE_INVALID");
    }

    [Fact]
    public async Task A_challenge_expires_after_five_minutes_and_unknown_ones_are_refused()
    {
        var user = await _api.SignUpAsync();
        var authenticator = await _api.EnableMfaAsync(user, Now);
        var challengeId = await _api.SignInForChallengeAsync(user);

        app.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        (await _api.PostAsync(MfaApi.Challenge, new { challengeId, code = authenticator.CodeAt(Now) }))
            .AssertEnvelope(HttpStatusCode.Unauthorized, "AUTH.MFA_CHALLENGE_INVALID");
        (await _api.PostAsync(MfaApi.Challenge, new { challengeId = "mfa_made-up", code = authenticator.CodeAt(Now) }))
            .AssertEnvelope(HttpStatusCode.Unauthorized, "AUTH.MFA_CHALLENGE_INVALID");
        (await _api.PostAsync(MfaApi.Challenge, new { code = "123456" })).AssertValidationError("$.challengeId");
    }

    [Fact]
    public async Task A_totp_code_is_accepted_only_once()
    {
        var user = await _api.SignUpAsync();
        var authenticator = await _api.EnableMfaAsync(user, Now);
        app.NextTotpStep();
        var code = authenticator.CodeAt(Now);

        (await _api.PostAsync(MfaApi.Challenge, new { challengeId = await _api.SignInForChallengeAsync(user), code })).AssertOk();
        (await _api.PostAsync(MfaApi.Challenge, new { challengeId = await _api.SignInForChallengeAsync(user), code }))
            .AssertEnvelope(HttpStatusCode.BadRequest, "AUTH.INVALID_MFA_CODE");
        // Nor can an older code (of the previous step, still inside the drift window) come after a newer one.
        (await _api.PostAsync(MfaApi.Challenge, new { challengeId = await _api.SignInForChallengeAsync(user), code = authenticator.CodeAt(Now.AddSeconds(-30)) }))
            .AssertEnvelope(HttpStatusCode.BadRequest, "AUTH.INVALID_MFA_CODE");
    }

    [Fact]
    public async Task Concurrent_uses_of_one_code_let_exactly_one_through()
    {
        var user = await _api.SignUpAsync();
        var authenticator = await _api.EnableMfaAsync(user, Now);
        app.NextTotpStep();
        var challenges = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            challenges.Add(await _api.SignInForChallengeAsync(user));
        }
        var code = authenticator.CodeAt(Now);

        var answers = await Task.WhenAll(challenges.Select(id => _api.PostAsync(MfaApi.Challenge, new { challengeId = id, code })));

        Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.OK), a => a.AssertEnvelope(HttpStatusCode.BadRequest, "AUTH.INVALID_MFA_CODE"));
    }

    [Fact]
    public async Task A_recovery_code_completes_a_sign_in_once()
    {
        var user = await _api.SignUpAsync();
        var authenticator = await _api.EnableMfaAsync(user, Now);
        var recovery = authenticator.RecoveryCodes[3];

        // Case and hyphens do not matter.
        var typed = recovery.Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();
        (await _api.PostAsync(MfaApi.Challenge, new { challengeId = await _api.SignInForChallengeAsync(user), recoveryCode = typed })).AssertOk();
        (await _api.PostAsync(MfaApi.Challenge, new { challengeId = await _api.SignInForChallengeAsync(user), recoveryCode = recovery }))
            .AssertEnvelope(HttpStatusCode.BadRequest, "AUTH.INVALID_MFA_CODE");

        var status = (await _api.GetAsync(MfaApi.Status, user.AccessToken)).AssertOk();
        Assert.Equal(9, status.GetProperty("recoveryCodesRemaining").GetInt32());
    }

    [Fact]
    public async Task Step_up_makes_an_existing_session_mfa_verified()
    {
        var user = await _api.SignUpAsync();
        // A second session, started before MFA was enabled: only the password was proved.
        var other = (await _api.PostAsync("/web/v1/auth/sign-in", new { email = user.Email, password = user.Password })).AssertOk();
        var otherToken = other.GetProperty("accessToken").GetString()!;
        var authenticator = await _api.EnableMfaAsync(user, Now);
        app.NextTotpStep();
        Assert.False((await _api.GetAsync(MfaApi.Status, otherToken)).AssertOk().GetProperty("sessionMfaVerified").GetBoolean());

        (await _api.PostAsync(MfaApi.StepUp, new { code = "12345" }, otherToken)).AssertEnvelope(HttpStatusCode.BadRequest, "AUTH.INVALID_MFA_CODE");
        var stepUp = (await _api.PostAsync(MfaApi.StepUp, new { code = authenticator.CodeAt(Now) }, otherToken)).AssertOk();

        Assert.Equal(other.GetProperty("sessionId").GetString(), stepUp.GetProperty("sessionId").GetString());
        Assert.Equal(["pwd", "otp"], Amr(stepUp.GetProperty("accessToken").GetString()!));
        // The state lives on the session: the old access token of that session sees it too.
        Assert.True((await _api.GetAsync(MfaApi.Status, otherToken)).AssertOk().GetProperty("sessionMfaVerified").GetBoolean());
    }

    [Fact]
    public async Task Step_up_without_mfa_enabled_is_refused()
    {
        var user = await _api.SignUpAsync();
        (await _api.PostAsync(MfaApi.StepUp, new { code = "123456" }, user.AccessToken)).AssertEnvelope(HttpStatusCode.Conflict, "AUTH.MFA_NOT_ENABLED");
        (await _api.PostAsync(MfaApi.StepUp, new { code = "123456" })).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
    }

    [Fact]
    public async Task Disable_needs_a_current_code_and_then_sign_in_needs_only_the_password()
    {
        var user = await _api.SignUpAsync();
        var authenticator = await _api.EnableMfaAsync(user, Now);
        app.NextTotpStep();

        (await _api.PostAsync(MfaApi.Disable, new { code = authenticator.CodeAt(Now.AddMinutes(5)) }, user.AccessToken))
            .AssertEnvelope(HttpStatusCode.BadRequest, "AUTH.INVALID_MFA_CODE");
        (await _api.PostAsync(MfaApi.Disable, new { }, user.AccessToken)).AssertValidationError("$.code");
        (await _api.PostAsync(MfaApi.Disable, new { code = authenticator.CodeAt(Now) }, user.AccessToken)).AssertOk();

        (await _api.PostAsync("/web/v1/auth/sign-in", new { email = user.Email, password = user.Password })).AssertOk();
        Assert.Equal(0, await app.CountAsync<Domain.Accounts.RecoveryCode>(q => q.Where(c => c.UserId == user.UserId)));
        Assert.False((await _api.GetAsync(MfaApi.Status, user.AccessToken)).AssertOk().GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Regenerated_recovery_codes_replace_the_old_ones()
    {
        var user = await _api.SignUpAsync();
        var authenticator = await _api.EnableMfaAsync(user, Now);

        var fresh = (await _api.PostAsync(MfaApi.RecoveryCodes, new { recoveryCode = authenticator.RecoveryCodes[0] }, user.AccessToken)).AssertOk()
            .GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToList();

        Assert.Empty(fresh.Intersect(authenticator.RecoveryCodes));
        (await _api.PostAsync(MfaApi.Challenge, new { challengeId = await _api.SignInForChallengeAsync(user), recoveryCode = authenticator.RecoveryCodes[1] }))
            .AssertEnvelope(HttpStatusCode.BadRequest, "AUTH.INVALID_MFA_CODE");
        (await _api.PostAsync(MfaApi.Challenge, new { challengeId = await _api.SignInForChallengeAsync(user), recoveryCode = fresh[1] })).AssertOk();
    }
}
