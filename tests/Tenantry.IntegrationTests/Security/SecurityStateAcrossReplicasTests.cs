using System.Net;
using Microsoft.EntityFrameworkCore;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Security;

/// <summary>Two replicas on one database, lockout after 3 failures.</summary>
public sealed class LockoutReplicas : TwoReplicas
{
    protected override void Configure(IDictionary<string, string?> settings) => settings["Tenantry:Auth:LockoutThreshold"] = "3";
}

/// <summary>The security state that must hold on every replica: key ring, MFA secrets, channels, IVs, lockouts.</summary>
public sealed class SecurityStateAcrossReplicasTests(LockoutReplicas replicas) : IClassFixture<LockoutReplicas>
{
    private readonly SystemApi _first = replicas.First.System;
    private readonly SystemApi _second = replicas.Second.System;

    [Fact]
    public async Task Both_replicas_share_one_data_protection_key()
    {
        Assert.Equal(1, await replicas.First.CountAsync<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>(q => q));
    }

    [Fact]
    public async Task A_secret_encrypted_on_one_replica_is_read_on_the_other()
    {
        var user = await _first.SignUpAsync();
        var secret = OtpNet.Base32Encoding.ToBytes((await _first.PostAsync(MfaApi.Enroll, token: user.AccessToken)).AssertOk().GetProperty("secret").GetString());

        (await _second.PostAsync(MfaApi.Confirm, new { code = Application.Accounts.Mfa.TotpCodes.Compute(secret, DateTimeOffset.UtcNow) }, user.AccessToken)).AssertOk();
    }

    [Fact]
    public async Task A_channel_opened_on_one_replica_serves_the_other_and_an_iv_is_spent_on_both()
    {
        var user = await _first.SignUpAsync();
        var channel = await SecureChannelClient.OpenAsync(_first);
        var onSecond = await SecureChannelClient.OpenAsync(_second);
        var sealedBody = channel.Seal("""{"workspaceName":"Replicated"}""");

        var created = channel.AssertOk(await channel.Via(_second).SendSealedAsync(HttpMethod.Post, "/web/v1/workspaces/self", sealedBody, user.AccessToken), "1.3.0");
        Assert.Equal("Replicated", created.GetProperty("workspaceName").GetString());

        (await channel.SendSealedAsync(HttpMethod.Post, "/web/v1/workspaces/self", sealedBody, user.AccessToken))
            .AssertEnvelope(HttpStatusCode.BadRequest, "GATEWAY.SECURE_CHANNEL_INVALID");
        Assert.NotEqual(channel.ChannelId, onSecond.ChannelId);
    }

    [Fact]
    public async Task Lockout_failures_add_up_across_replicas()
    {
        var user = await _first.SignUpAsync();
        (await _first.PostAsync("/web/v1/auth/sign-in", new { email = user.Email, password = "wrong 1" })).AssertEnvelope(HttpStatusCode.Unauthorized, "AUTH.INVALID_CREDENTIALS");
        (await _second.PostAsync("/web/v1/auth/sign-in", new { email = user.Email, password = "wrong 2" })).AssertEnvelope(HttpStatusCode.Unauthorized, "AUTH.INVALID_CREDENTIALS");
        (await _first.PostAsync("/web/v1/auth/sign-in", new { email = user.Email, password = "wrong 3" })).AssertEnvelope(HttpStatusCode.Unauthorized, "AUTH.INVALID_CREDENTIALS");

        (await _second.PostAsync("/web/v1/auth/sign-in", new { email = user.Email, password = user.Password })).AssertEnvelope(HttpStatusCode.TooManyRequests, "4290");
        (await _first.PostAsync("/web/v1/auth/sign-in", new { email = user.Email, password = user.Password })).AssertEnvelope(HttpStatusCode.TooManyRequests, "4290");
        var key = Application.Accounts.Lockouts.AuthLockouts.KeyOf(Application.Accounts.Lockouts.LockoutScope.Password, user.Email.ToLowerInvariant());
        Assert.Equal(3, await replicas.First.WithDbAsync(db => db.AuthLockouts.Where(l => l.Key == key).Select(l => l.Failures).SingleAsync()));
    }
}
