using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tenantry.Application.Accounts.Tokens;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.System;

/// <summary>Every way a bearer token can be wrong answers 401 / 4010, with the endpoint's version.</summary>
public sealed class TokenTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private const string ListPath = "/web/v1/system/workspaces/mine";
    private readonly SystemApi _api = app.System;

    private async Task AssertRejected(string? token)
    {
        var response = await _api.GetAsync(ListPath, token);
        response.AssertEnvelope(HttpStatusCode.Unauthorized, "4010", "2.0.0");
        Assert.Equal("Invalid or expired token", response.MessageText);
    }

    [Fact]
    public Task Missing_token() => AssertRejected(null);

    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9..")]
    public Task Malformed_token(string token) => AssertRejected(token);

    [Fact]
    public async Task Basic_credentials_are_not_a_token()
    {
        var response = await _api.SendAsync(HttpMethod.Get, ListPath, configure: r =>
            r.Headers.Authorization = new global::System.Net.Http.Headers.AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz"));
        response.AssertEnvelope(HttpStatusCode.Unauthorized, "4010", "2.0.0");
    }

    [Fact]
    public async Task Tampered_payload()
    {
        var user = await _api.SignUpAsync();
        var victim = await _api.SignUpAsync();
        var parts = user.AccessToken.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace(user.UserId, victim.UserId, StringComparison.Ordinal);
        await AssertRejected($"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}");
    }

    [Fact]
    public async Task Tampered_signature()
    {
        var user = await _api.SignUpAsync();
        var parts = user.AccessToken.Split('.');
        var signature = Base64UrlEncoder.DecodeBytes(parts[2]);
        signature[10] ^= 0xFF;
        await AssertRejected($"{parts[0]}.{parts[1]}.{Base64UrlEncoder.Encode(signature)}");
    }

    [Fact]
    public async Task Algorithm_none()
    {
        var user = await _api.SignUpAsync();
        var parts = user.AccessToken.Split('.');
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"at+jwt"}""");
        await AssertRejected($"{header}.{parts[1]}.");
    }

    [Fact]
    public async Task HS256_signed_with_the_public_key()
    {
        var user = await _api.SignUpAsync();
        var ring = await app.Services.GetRequiredService<SigningKeyRing>().GetAsync(CancellationToken.None);
        var publicKey = ((ECDsaSecurityKey)ring.Signing.Key).ECDsa.ExportSubjectPublicKeyInfo();
        var parts = user.AccessToken.Split('.');
        var header = Base64UrlEncoder.Encode($$"""{"alg":"HS256","typ":"at+jwt","kid":"{{ring.Signing.Key.KeyId}}"}""");
        var signature = HMACSHA256.HashData(publicKey, Encoding.ASCII.GetBytes($"{header}.{parts[1]}"));
        await AssertRejected($"{header}.{parts[1]}.{Base64UrlEncoder.Encode(signature)}");
    }

    [Fact]
    public async Task Properly_signed_but_wrong_issuer_audience_type_or_lifetime()
    {
        var user = await _api.SignUpAsync();
        var now = DateTime.UtcNow;
        await AssertRejected(await MintAsync(user, issuer: "someone-else"));
        await AssertRejected(await MintAsync(user, audience: "another-api"));
        await AssertRejected(await MintAsync(user, type: "JWT"));
        await AssertRejected(await MintAsync(user, notBefore: now.AddMinutes(5), expires: now.AddMinutes(15)));
        await AssertRejected(await MintAsync(user, notBefore: now.AddMinutes(-30), expires: now.AddMinutes(-5)));
        // Control: the same minting with correct values is accepted, so the rejections above are about the one changed field.
        (await _api.GetAsync(ListPath, await MintAsync(user))).AssertOk("2.0.0");
    }

    [Fact]
    public async Task Properly_signed_for_a_session_that_does_not_exist()
    {
        var user = await _api.SignUpAsync();
        await AssertRejected(await MintAsync(user, sessionId: "sess_01m8a9t4gyx1z84hwa8bs6tmrs"));
    }

    [Fact]
    public async Task The_session_cookie_token_is_not_an_access_token()
    {
        var user = await _api.SignUpAsync();
        await AssertRejected(user.SessionCookie);
    }

    private async Task<string> MintAsync(
        TestUser user, string issuer = "tenantry", string audience = "tenantry", string type = AccessTokens.TokenType,
        DateTime? notBefore = null, DateTime? expires = null, string? sessionId = null)
    {
        var ring = await app.Services.GetRequiredService<SigningKeyRing>().GetAsync(CancellationToken.None);
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = type,
            Issuer = issuer,
            Audience = audience,
            IssuedAt = notBefore ?? now,
            NotBefore = notBefore ?? now,
            Expires = expires ?? now.AddMinutes(5),
            SigningCredentials = ring.Signing,
            Claims = new Dictionary<string, object> { ["sub"] = user.UserId, ["sid"] = sessionId ?? user.SessionId, ["amr"] = new[] { "pwd" } },
        });
    }
}

/// <summary>A server whose clock the test moves, to watch tokens expire.</summary>
public sealed class ClockedApp : ClockedTenantryApp;

public sealed class TokenExpiryTests(ClockedApp app) : IClassFixture<ClockedApp>
{
    [Fact]
    public async Task An_access_token_expires_after_its_lifetime_but_refresh_still_works()
    {
        var api = app.System;
        var user = await api.SignUpAsync();
        (await api.GetAsync("/web/v1/system/workspaces/mine", user.AccessToken)).AssertOk();

        app.Clock.Advance(TimeSpan.FromMinutes(9));
        (await api.GetAsync("/web/v1/system/workspaces/mine", user.AccessToken)).AssertOk();

        // 10 minutes lifetime plus 30 seconds of allowed clock skew.
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        (await api.GetAsync("/web/v1/system/workspaces/mine", user.AccessToken)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010", "2.0.0");

        var refreshed = (await api.PostAsync("/web/v1/auth/refresh", new { refreshToken = user.RefreshToken })).AssertOk();
        (await api.GetAsync("/web/v1/system/workspaces/mine", refreshed.GetProperty("accessToken").GetString())).AssertOk();
    }

    [Fact]
    public async Task A_session_ends_after_its_lifetime()
    {
        var api = app.System;
        var user = await api.SignUpAsync();
        app.Clock.Advance(TimeSpan.FromDays(31));
        (await api.PostAsync("/web/v1/auth/refresh", new { refreshToken = user.RefreshToken })).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
    }
}
