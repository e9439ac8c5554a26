using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Security;

/// <summary>A gateway that requires the secure channel for every mutation; its clock can be moved to expire channels.</summary>
public sealed class SecureChannelApp : ClockedTenantryApp
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Tenantry:Gateway:RequireSecureChannel"] = "true";
        settings["Tenantry:Gateway:SecureChannelLifetime"] = "00:05:00";
    }
}

/// <summary>CONTRACT 3's secure channel: the handshake, encrypted requests and answers, and every refusal.</summary>
public sealed class SecureChannelTests(SecureChannelApp app) : IClassFixture<SecureChannelApp>
{
    private readonly SystemApi _api = app.System;

    /// <summary>Signs up over the channel (sign-up is a mutation too).</summary>
    private static async Task<(string UserId, string AccessToken)> SignUpAsync(SecureChannelClient channel)
    {
        var response = await channel.SendAsync(HttpMethod.Post, "/web/v1/auth/sign-up",
            new { email = SystemApi.NewEmail("sealed"), password = SystemApi.Password, displayName = "Sealed" });
        var data = channel.AssertOk(response);
        return (data.GetProperty("userBizId").GetString()!, data.GetProperty("accessToken").GetString()!);
    }

    [Fact]
    public async Task A_full_flow_runs_encrypted_end_to_end()
    {
        var channel = await SecureChannelClient.OpenAsync(_api);
        Assert.StartsWith("sch_", channel.ChannelId);

        var (userId, token) = await SignUpAsync(channel);
        var created = channel.AssertOk(await channel.SendAsync(HttpMethod.Post, "/web/v1/workspaces/self",
            new { workspaceName = "Sealed Co", workspaceKind = "SANDBOX" }, token), "1.3.0");
        var workspaceId = created.GetProperty("bizId").GetString()!;
        Assert.Equal("SANDBOX", created.GetProperty("workspaceKind").GetProperty("code").GetString());

        var patched = channel.AssertOk(await channel.SendAsync(HttpMethod.Patch, $"/web/v1/workspaces/{workspaceId}",
            new { workspaceName = "Sealed Renamed", policyConfig = new { enforceMfa = false } }, token), "1.3.0");
        Assert.Equal("Sealed Renamed", patched.GetProperty("workspaceName").GetString());

        // A mutation without a body: the plaintext is empty.
        var item = channel.AssertOk(await channel.SendAsync(HttpMethod.Post, $"/web/v1/tenant/workspaces/{workspaceId}/default", token: token), "2.0.0");
        Assert.True(item.GetProperty("isDefault").GetBoolean());
        Assert.Equal(userId, item.GetProperty("userBizId").GetString());

        // Reads need no channel and answer in plain text.
        var listed = (await _api.ListMineAsync(new TestUser("", "", userId, token, "", "", ""))).Single();
        Assert.Equal("Sealed Renamed", listed.GetProperty("workspaceName").GetString());

        // Errors come back in the envelope; a 4000's problems are data, so they are encrypted too.
        var invalid = await channel.SendAsync(HttpMethod.Patch, $"/web/v1/workspaces/{workspaceId}", new { workspaceTimezone = "Mars/Olympus" }, token);
        invalid.AssertEnvelope(HttpStatusCode.BadRequest, "4000");
        Assert.Equal("$.workspaceTimezone", channel.Open(invalid.Data)[0].GetProperty("field").GetString());
        var duplicate = await channel.SendAsync(HttpMethod.Post, "/web/v1/workspaces/self", new { workspaceName = "Second" }, token);
        duplicate.AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.ALREADY_OWNS_WORKSPACE", "1.3.0");

        (await channel.SendAsync(HttpMethod.Post, "/web/v1/auth/sign-out", token: token)).AssertOk();
        (await _api.GetAsync("/web/v1/system/workspaces/mine", token)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
    }

    [Fact]
    public async Task Invitations_are_answered_over_the_channel_with_or_without_a_token_in_the_body()
    {
        var channel = await SecureChannelClient.OpenAsync(_api);
        var (_, ownerToken) = await SignUpAsync(channel);
        var workspaceId = channel.AssertOk(await channel.SendAsync(HttpMethod.Post, "/web/v1/workspaces/self", new { workspaceName = "Sealed Invites" }, ownerToken))
            .GetProperty("bizId").GetString()!;
        var owner = new TestUser("", "", "", ownerToken, "", "", "");
        var memberRole = await _api.RoleIdAsync(owner, workspaceId, "Member");
        var invitees = new List<(string Email, string UserId, string Token)>();
        for (var i = 0; i < 2; i++)
        {
            var email = SystemApi.NewEmail("sealed-invitee");
            var signedUp = channel.AssertOk(await channel.SendAsync(HttpMethod.Post, "/web/v1/auth/sign-up",
                new { email, password = SystemApi.Password, displayName = "Sealed Invitee" }));
            invitees.Add((email, signedUp.GetProperty("userBizId").GetString()!, signedUp.GetProperty("accessToken").GetString()!));
        }
        var invitations = new List<string>();
        foreach (var invitee in invitees)
        {
            invitations.Add(channel.AssertOk(await channel.SendAsync(HttpMethod.Post, $"/web/v1/workspaces/{workspaceId}/invitations",
                new { email = invitee.Email, roleBizId = memberRole }, ownerToken)).GetProperty("invitationBizId").GetString()!);
        }
        // The first invitee's address is vouched for by an operator (outside the channel): an empty sealed body accepts.
        (await _api.AdminPatchAsync($"/admin/v1/users/{invitees[0].UserId}", new { emailVerified = true })).AssertOk();

        var byAddress = channel.AssertOk(await channel.SendAsync(HttpMethod.Post, $"/web/v1/tenant/invitations/{invitations[0]}/accept", token: invitees[0].Token), "2.0.0");
        // The second (unverified) sends a sealed token, here a wrong one: the invitation does not exist for them.
        var guessed = await channel.SendAsync(HttpMethod.Post, $"/web/v1/tenant/invitations/{invitations[1]}/decline", new { token = "guess" }, invitees[1].Token);

        Assert.Equal(workspaceId, byAddress.GetProperty("workspaceBizId").GetString());
        guessed.AssertEnvelope(HttpStatusCode.NotFound, "4040");
    }

    [Fact]
    public async Task Mfa_works_over_the_channel()
    {
        var channel = await SecureChannelClient.OpenAsync(_api);
        var (_, token) = await SignUpAsync(channel);
        var enrolment = channel.AssertOk(await channel.SendAsync(HttpMethod.Post, MfaApi.Enroll, token: token));
        var secret = OtpNet.Base32Encoding.ToBytes(enrolment.GetProperty("secret").GetString());

        var confirmed = channel.AssertOk(await channel.SendAsync(HttpMethod.Post, MfaApi.Confirm,
            new { code = Application.Accounts.Mfa.TotpCodes.Compute(secret, app.Clock.GetUtcNow()) }, token));
        Assert.Equal(10, confirmed.GetProperty("recoveryCodes").GetArrayLength());
    }

    [Theory]
    [InlineData("POST", "/web/v1/auth/sign-up")]
    [InlineData("POST", "/web/v1/auth/sign-in")]
    [InlineData("POST", "/web/v1/workspaces/self")]
    [InlineData("PATCH", "/web/v1/workspaces/ws_01m8a9t56kdm2avr4tk56ncfbm")]
    [InlineData("DELETE", "/web/v1/workspaces/ws_01m8a9t56kdm2avr4tk56ncfbm")]
    [InlineData("PUT", "/web/v1/auth/sign-in")]
    [InlineData("PROPFIND", "/web/v1/system/workspaces/mine")]
    [InlineData("POST", "/web/v1/no/such/route")]
    public async Task Plain_mutations_are_refused_when_the_channel_is_required(string method, string path)
    {
        var response = await _api.SendAsync(new HttpMethod(method), path, """{"email":"a@example.com","password":"long enough password","displayName":"A"}""");

        response.AssertEnvelope(HttpStatusCode.Forbidden, "GATEWAY.SECURE_CHANNEL_REQUIRED");
        Assert.Equal(0, await app.CountAsync<Domain.Accounts.UserAccount>(q => q.Where(u => u.NormalizedEmail == "a@example.com")));
    }

    [Fact]
    public async Task Reads_and_the_handshake_itself_need_no_channel()
    {
        (await _api.GetAsync("/web/v1/system/enums")).AssertOk();
        (await _api.GetAsync("/web/v1/system/workspaces/mine")).AssertEnvelope(HttpStatusCode.Unauthorized, "4010", "2.0.0");
        using var ecdh = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        (await _api.PostAsync("/web/v1/secure-channel/handshake", new { clientPublicKey = Convert.ToBase64String(ecdh.ExportSubjectPublicKeyInfo()) })).AssertOk();
    }

    [Fact]
    public async Task A_replayed_request_is_refused_and_has_no_effect()
    {
        var channel = await SecureChannelClient.OpenAsync(_api);
        var (_, token) = await SignUpAsync(channel);
        var workspaceId = channel.AssertOk(await channel.SendAsync(HttpMethod.Post, "/web/v1/workspaces/self", new { workspaceName = "Original" }, token))
            .GetProperty("bizId").GetString()!;
        var rename = channel.Seal("""{"workspaceName":"Renamed once"}""");
        channel.AssertOk(await channel.SendSealedAsync(HttpMethod.Patch, $"/web/v1/workspaces/{workspaceId}", rename, token));
        channel.AssertOk(await channel.SendAsync(HttpMethod.Patch, $"/web/v1/workspaces/{workspaceId}", new { workspaceName = "Renamed twice" }, token));

        var replay = await channel.SendSealedAsync(HttpMethod.Patch, $"/web/v1/workspaces/{workspaceId}", rename, token);

        replay.AssertEnvelope(HttpStatusCode.BadRequest, "GATEWAY.SECURE_CHANNEL_INVALID");
        var name = await app.WithDbAsync(db => db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.Name).SingleAsync());
        Assert.Equal("Renamed twice", name);
    }

    [Fact]
    public async Task An_iv_used_once_is_refused_even_with_another_message()
    {
        var channel = await SecureChannelClient.OpenAsync(_api);
        var iv = RandomNumberGenerator.GetBytes(12);
        channel.AssertOk(await channel.SendSealedAsync(HttpMethod.Post, "/web/v1/auth/sign-up",
            channel.Seal(JsonSerializer.Serialize(new { email = SystemApi.NewEmail(), password = SystemApi.Password, displayName = "One" }), iv)));

        var reused = await channel.SendSealedAsync(HttpMethod.Post, "/web/v1/auth/sign-up",
            channel.Seal(JsonSerializer.Serialize(new { email = SystemApi.NewEmail(), password = SystemApi.Password, displayName = "Two" }), iv));

        reused.AssertEnvelope(HttpStatusCode.BadRequest, "GATEWAY.SECURE_CHANNEL_INVALID");
    }

    [Fact]
    public async Task Concurrent_replays_let_exactly_one_through()
    {
        var channel = await SecureChannelClient.OpenAsync(_api);
        var sealedBody = channel.Seal(JsonSerializer.Serialize(new { email = SystemApi.NewEmail("once"), password = SystemApi.Password, displayName = "Once" }));

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => channel.SendSealedAsync(HttpMethod.Post, "/web/v1/auth/sign-up", sealedBody)));

        Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.OK), a => a.AssertEnvelope(HttpStatusCode.BadRequest, "GATEWAY.SECURE_CHANNEL_INVALID"));
    }

    [Theory]
    [InlineData("ciphertext")]
    [InlineData("tag")]
    [InlineData("iv")]
    public async Task A_tampered_message_is_refused(string part)
    {
        var channel = await SecureChannelClient.OpenAsync(_api);
        var message = JsonSerializer.Deserialize<Dictionary<string, string>>(channel.Seal(
            JsonSerializer.Serialize(new { email = SystemApi.NewEmail("tamper"), password = SystemApi.Password, displayName = "T" })))!;
        var bytes = Convert.FromBase64String(message[part]);
        bytes[bytes.Length / 2] ^= 0x01;
        message[part] = Convert.ToBase64String(bytes);

        var response = await channel.SendSealedAsync(HttpMethod.Post, "/web/v1/auth/sign-up", JsonSerializer.Serialize(message));

        response.AssertEnvelope(HttpStatusCode.BadRequest, "GATEWAY.SECURE_CHANNEL_INVALID");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("""{"iv":"AAAAAAAAAAAAAAAA","ciphertext":"","tag":"AAAAAAAAAAAAAAAAAAAAAA==","extra":"x"}""")]
    [InlineData("""{"iv":"AAAA","ciphertext":"","tag":"AAAAAAAAAAAAAAAAAAAAAA=="}""")]
    [InlineData("""{"iv":"AAAAAAAAAAAAAAAA","ciphertext":"%%%","tag":"AAAAAAAAAAAAAAAAAAAAAA=="}""")]
    [InlineData("""{"iv":1,"ciphertext":"","tag":""}""")]
    [InlineData("")]
    public async Task A_malformed_message_is_refused(string body)
    {
        var channel = await SecureChannelClient.OpenAsync(_api);
        (await channel.SendSealedAsync(HttpMethod.Post, "/web/v1/auth/sign-up", body)).AssertEnvelope(HttpStatusCode.BadRequest, "GATEWAY.SECURE_CHANNEL_INVALID");
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task A_message_that_is_not_utf8_is_refused(bool knownChannel, bool inTheName)
    {
        // {"\xff":"x"} and {"iv":"\xff"}: bytes no JSON text may hold (a 500 before the gateway read them defensively).
        byte[] body = inTheName ? [.. "{\""u8, 0xff, .. "\":\"x\"}"u8] : [.. "{\"iv\":\""u8, 0xff, .. "\"}"u8];
        var channel = await SecureChannelClient.OpenAsync(_api);
        var response = await _api.SendAsync(HttpMethod.Post, "/web/v1/auth/sign-up", configure: request =>
        {
            request.Headers.Add(SecureChannelClient.Header, knownChannel ? channel.ChannelId : "sch_01m8a9t56kdm2avr4tk56ncfbm");
            request.Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } };
        });
        response.AssertEnvelope(HttpStatusCode.BadRequest, "GATEWAY.SECURE_CHANNEL_INVALID");
    }

    [Theory]
    [InlineData("sch_01m8a9t56kdm2avr4tk56ncfbm")]
    [InlineData("not-a-channel")]
    [InlineData("sch_")]
    public async Task An_unknown_channel_is_refused(string channelId)
    {
        var channel = await SecureChannelClient.OpenAsync(_api);
        var response = await channel.SendAsync(HttpMethod.Post, "/web/v1/auth/sign-up",
            new { email = SystemApi.NewEmail(), password = SystemApi.Password, displayName = "U" }, channelId: channelId);
        response.AssertEnvelope(HttpStatusCode.BadRequest, "GATEWAY.SECURE_CHANNEL_INVALID");
    }

    [Fact]
    public async Task A_message_sealed_with_another_channels_key_is_refused()
    {
        var mine = await SecureChannelClient.OpenAsync(_api);
        var other = await SecureChannelClient.OpenAsync(_api);
        var response = await mine.SendSealedAsync(HttpMethod.Post, "/web/v1/auth/sign-up",
            other.Seal(JsonSerializer.Serialize(new { email = SystemApi.NewEmail(), password = SystemApi.Password, displayName = "X" })));
        response.AssertEnvelope(HttpStatusCode.BadRequest, "GATEWAY.SECURE_CHANNEL_INVALID");
    }

    [Fact]
    public async Task An_expired_channel_is_refused()
    {
        var channel = await SecureChannelClient.OpenAsync(_api);
        var (_, token) = await SignUpAsync(channel);

        app.Clock.Advance(TimeSpan.FromMinutes(6));

        (await channel.SendAsync(HttpMethod.Post, "/web/v1/workspaces/self", new { workspaceName = "Too late" }, token))
            .AssertEnvelope(HttpStatusCode.BadRequest, "GATEWAY.SECURE_CHANNEL_INVALID");
        // A new handshake gives a working channel again.
        var fresh = await SecureChannelClient.OpenAsync(_api);
        fresh.AssertOk(await fresh.SendAsync(HttpMethod.Post, "/web/v1/workspaces/self", new { workspaceName = "In time" }, token));
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"clientPublicKey":"not base64!"}""")]
    [InlineData("""{"clientPublicKey":"AAAA"}""")]
    public async Task A_bad_client_key_is_a_validation_error(string body)
    {
        (await _api.PostAsync("/web/v1/secure-channel/handshake", body)).AssertValidationError("$.clientPublicKey");
    }

    [Fact]
    public async Task A_key_on_another_curve_is_refused()
    {
        using var p384 = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP384);
        (await _api.PostAsync("/web/v1/secure-channel/handshake", new { clientPublicKey = Convert.ToBase64String(p384.ExportSubjectPublicKeyInfo()) }))
            .AssertValidationError("$.clientPublicKey");
    }

    [Fact]
    public async Task Channel_keys_are_stored_encrypted()
    {
        var channel = await SecureChannelClient.OpenAsync(_api);
        var stored = await app.WithDbAsync(db => db.SecureChannels.Where(c => c.Id == channel.ChannelId).Select(c => c.ProtectedKey).SingleAsync());

        Assert.StartsWith("dp1:", stored);
        Assert.DoesNotContain(Convert.ToBase64String(channel.Key), stored, StringComparison.Ordinal);
    }
}
