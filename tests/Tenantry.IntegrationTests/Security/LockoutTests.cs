using System.Net;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Accounts.Lockouts;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Security;

/// <summary>Lockout after 3 failures: 1 minute, doubling per further failure, at most 8 minutes. The in-memory limits are out of the way.</summary>
public sealed class LockoutApp : ClockedTenantryApp
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Tenantry:Auth:LockoutThreshold"] = "3";
        settings["Tenantry:Auth:LockoutBase"] = "00:01:00";
        settings["Tenantry:Auth:LockoutMaximum"] = "00:08:00";
    }
}

/// <summary>Progressive, persisted lockout of sign-in (per email) and of the second factor (per user).</summary>
public sealed class LockoutTests(LockoutApp app) : IClassFixture<LockoutApp>
{
    private readonly SystemApi _api = app.System;

    private Task<ApiResponse> SignInAsync(string email, string password) =>
        _api.PostAsync("/web/v1/auth/sign-in", new { email, password });

    private static int RetryAfter(ApiResponse response)
    {
        response.AssertEnvelope(HttpStatusCode.TooManyRequests, "4290");
        return int.Parse(response.Header("Retry-After")!, global::System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Three wrong passwords, then the sequence of answers; the same for known and unknown emails.</summary>
    private async Task<List<string>> LockoutSequenceAsync(string email, string rightPassword)
    {
        var answers = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add((await SignInAsync(email, "wrong password " + i)).Code);
        }
        var locked = await SignInAsync(email, rightPassword);
        answers.Add($"{locked.Code} retry-after {RetryAfter(locked)}");
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        // One more failure after the first lockout doubles the next one.
        answers.Add((await SignInAsync(email, "wrong again")).Code);
        var doubled = await SignInAsync(email, rightPassword);
        answers.Add($"{doubled.Code} retry-after {RetryAfter(doubled)}");
        return answers;
    }

    [Fact]
    public async Task Failures_lock_the_email_with_a_doubling_wait_and_a_success_clears_it()
    {
        var user = await _api.SignUpAsync();

        var answers = await LockoutSequenceAsync(user.Email, user.Password);

        Assert.Equal(["AUTH.INVALID_CREDENTIALS", "AUTH.INVALID_CREDENTIALS", "AUTH.INVALID_CREDENTIALS", "4290 retry-after 60",
            "AUTH.INVALID_CREDENTIALS", "4290 retry-after 120"], answers);
        // Still locked a minute later, open after the two minutes; the right password then clears the record.
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        RetryAfter(await SignInAsync(user.Email, user.Password));
        app.Clock.Advance(TimeSpan.FromSeconds(60));
        (await SignInAsync(user.Email.ToUpperInvariant(), user.Password)).AssertOk();
        var key = AuthLockouts.KeyOf(LockoutScope.Password, user.Email.ToLowerInvariant());
        Assert.Equal(0, await app.CountAsync<Data.Security.AuthLockout>(q => q.Where(l => l.Key == key)));
    }

    [Fact]
    public async Task An_unknown_email_is_locked_exactly_like_a_known_one()
    {
        var known = await _api.SignUpAsync();
        var knownAnswers = await LockoutSequenceAsync(known.Email, known.Password);
        var unknownAnswers = await LockoutSequenceAsync(SystemApi.NewEmail("nobody"), SystemApi.Password);

        Assert.Equal(knownAnswers, unknownAnswers);
    }

    [Fact]
    public async Task The_wait_is_capped()
    {
        var user = await _api.SignUpAsync();
        for (var i = 0; i < 8; i++)
        {
            await SignInAsync(user.Email, "wrong");
            app.Clock.Advance(TimeSpan.FromMinutes(9));
        }
        await SignInAsync(user.Email, "wrong");
        Assert.Equal(480, RetryAfter(await SignInAsync(user.Email, user.Password)));
    }

    [Fact]
    public async Task Concurrent_failures_are_each_counted_once()
    {
        var email = SystemApi.NewEmail("race");
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => SignInAsync(email, "wrong " + i)));

        var counted = answers.Count(a => a.Code == "AUTH.INVALID_CREDENTIALS");
        Assert.All(answers, a => Assert.Contains(a.Code, new[] { "AUTH.INVALID_CREDENTIALS", "4290" }));
        var key = AuthLockouts.KeyOf(LockoutScope.Password, email);
        var failures = await app.WithDbAsync(db => db.AuthLockouts.Where(l => l.Key == key).Select(l => l.Failures).SingleAsync());
        Assert.Equal(counted, failures);
        Assert.True(counted >= 3, $"only {counted} attempts were checked");
    }

    [Fact]
    public async Task Wrong_second_factors_lock_the_user_even_across_challenges()
    {
        var user = await _api.SignUpAsync();
        var authenticator = await _api.EnableMfaAsync(user, app.Clock.GetUtcNow());
        app.NextTotpStep();
        var wrong = authenticator.CodeAt(app.Clock.GetUtcNow().AddHours(1));
        for (var i = 0; i < 3; i++)
        {
            (await _api.PostAsync(MfaApi.Challenge, new { challengeId = await _api.SignInForChallengeAsync(user), code = wrong }))
                .AssertEnvelope(HttpStatusCode.BadRequest, "AUTH.INVALID_MFA_CODE");
        }

        var right = authenticator.CodeAt(app.Clock.GetUtcNow());
        Assert.Equal(60, RetryAfter(await _api.PostAsync(MfaApi.Challenge, new { challengeId = await _api.SignInForChallengeAsync(user), code = right })));
        // Step-up of an existing session is the same second factor: locked too.
        RetryAfter(await _api.PostAsync(MfaApi.StepUp, new { code = right }, user.AccessToken));

        app.Clock.Advance(TimeSpan.FromSeconds(61));
        (await _api.PostAsync(MfaApi.Challenge, new { challengeId = await _api.SignInForChallengeAsync(user), code = authenticator.CodeAt(app.Clock.GetUtcNow()) })).AssertOk();
    }
}

/// <summary>Small per-IP and per-account MFA limits, the persisted lockout out of the way.</summary>
public sealed class MfaLimitsApp : TenantryApp
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Tenantry:Auth:MfaRequestsPerIp"] = "4";
        settings["Tenantry:Auth:MfaAttemptsPerAccount"] = "3";
        settings["Tenantry:Auth:LockoutThreshold"] = "1000";
    }
}

public sealed class MfaLimitTests(MfaLimitsApp app) : IClassFixture<MfaLimitsApp>
{
    private readonly SystemApi _api = app.System;

    private Task<ApiResponse> StepUpAsync(TestUser user, string clientIp) =>
        _api.SendAsync(HttpMethod.Post, MfaApi.StepUp, new { code = "000000" }, user.AccessToken, clientIp: clientIp);

    [Fact]
    public async Task Second_factor_checks_are_limited_per_account_across_addresses()
    {
        var user = await _api.SignUpAsync();
        // Confirming the enrolment was the first of the three checks this account may make.
        await _api.EnableMfaAsync(user, DateTimeOffset.UtcNow);
        for (var i = 0; i < 2; i++)
        {
            (await StepUpAsync(user, $"198.18.7.{i}")).AssertEnvelope(HttpStatusCode.BadRequest, "AUTH.INVALID_MFA_CODE");
        }
        var limited = await StepUpAsync(user, "198.18.7.99");
        limited.AssertEnvelope(HttpStatusCode.TooManyRequests, "4290");
        Assert.NotNull(limited.Header("Retry-After"));
    }

    [Fact]
    public async Task Mfa_requests_are_limited_per_client_ip()
    {
        var users = new List<TestUser>();
        for (var i = 0; i < 5; i++)
        {
            users.Add(await _api.SignUpAsync());
        }
        for (var i = 0; i < 4; i++)
        {
            (await StepUpAsync(users[i], "192.0.2.77")).AssertEnvelope(HttpStatusCode.Conflict, "AUTH.MFA_NOT_ENABLED");
        }
        (await StepUpAsync(users[4], "192.0.2.77")).AssertEnvelope(HttpStatusCode.TooManyRequests, "4290");
        (await StepUpAsync(users[4], "192.0.2.78")).AssertEnvelope(HttpStatusCode.Conflict, "AUTH.MFA_NOT_ENABLED");
    }
}
