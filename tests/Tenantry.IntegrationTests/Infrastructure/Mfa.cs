using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OtpNet;
using Tenantry.Application.Accounts.Mfa;

namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>A user's authenticator app, as the tests hold it: the secret from enrolment and the recovery codes.</summary>
public sealed record TestAuthenticator(byte[] Secret, IReadOnlyList<string> RecoveryCodes)
{
    public string CodeAt(DateTimeOffset time) => TotpCodes.Compute(Secret, time);
}

/// <summary>A server whose clock the test moves: TOTP codes, challenges and channels expire on it, and each step gives a fresh code.</summary>
public class ClockedTenantryApp : TenantryApp
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

    /// <summary>The next 30-second step: a code from it has not been used yet.</summary>
    public void NextTotpStep() => Clock.Advance(TimeSpan.FromSeconds(TotpCodes.PeriodSeconds));
}

public static class MfaApi
{
    public const string Challenge = "/web/v1/auth/mfa/challenge";
    public const string StepUp = "/web/v1/auth/mfa/step-up";
    public const string Enroll = "/web/v1/auth/mfa/totp/enroll";
    public const string Confirm = "/web/v1/auth/mfa/totp/confirm";
    public const string Disable = "/web/v1/auth/mfa/totp/disable";
    public const string RecoveryCodes = "/web/v1/auth/mfa/recovery-codes";
    public const string Status = "/web/v1/auth/mfa";

    /// <summary>Enrols and confirms TOTP for the user (their session becomes MFA-verified); returns the authenticator.</summary>
    public static async Task<TestAuthenticator> EnableMfaAsync(this SystemApi api, TestUser user, DateTimeOffset now)
    {
        var enrolment = (await api.PostAsync(Enroll, token: user.AccessToken)).AssertOk();
        var secret = Base32Encoding.ToBytes(enrolment.GetProperty("secret").GetString());
        var confirmed = (await api.PostAsync(Confirm, new { code = TotpCodes.Compute(secret, now) }, user.AccessToken)).AssertOk();
        var codes = confirmed.GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToList();
        return new TestAuthenticator(secret, codes);
    }

    /// <summary>Signs in with the password; asserts the MFA challenge and returns its id.</summary>
    public static async Task<string> SignInForChallengeAsync(this SystemApi api, TestUser user)
    {
        var response = await api.PostAsync("/web/v1/auth/sign-in", new { email = user.Email, password = user.Password });
        var data = response.AssertEnvelope(HttpStatusCode.OK, "AUTH.MFA_REQUIRED");
        Assert.True(data.GetProperty("mfaRequired").GetBoolean());
        return data.GetProperty("challengeId").GetString()!;
    }

    /// <summary>The full MFA sign-in: password, then the code. Returns the new session's access token.</summary>
    public static async Task<string> SignInWithMfaAsync(this SystemApi api, TestUser user, string code)
    {
        var challengeId = await api.SignInForChallengeAsync(user);
        var data = (await api.PostAsync(Challenge, new { challengeId, code })).AssertOk();
        return data.GetProperty("accessToken").GetString()!;
    }

    public static TimeProvider ServerClock(this TenantryApp app) => app.Services.GetRequiredService<TimeProvider>();
}
