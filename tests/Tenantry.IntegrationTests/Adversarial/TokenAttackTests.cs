using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tenantry.Application.Accounts.Tokens;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Adversarial;

public sealed class TokenAttackApp : ClockedTenantryApp;

/// <summary>
/// Attacks on access tokens. Each one answers 401 / 4010 and nothing else: forged algorithms and
/// keys, claims that do not fit, a clock that has moved on, a session that ended.
/// </summary>
public sealed class TokenAttackTests(TokenAttackApp app) : IClassFixture<TokenAttackApp>
{
    private const string ListPath = "/web/v1/system/workspaces/mine";
    private readonly SystemApi _api = app.System;

    private async Task AssertRejectedAsync(string? token, string because)
    {
        var response = await _api.GetAsync(ListPath, token);
        Assert.True(response.Status == HttpStatusCode.Unauthorized, $"{because}: {response}");
        response.AssertEnvelope(HttpStatusCode.Unauthorized, "4010", "2.0.0");
    }

    private async Task<KeyRingSnapshot> RingAsync() => await app.Services.GetRequiredService<SigningKeyRing>().GetAsync(CancellationToken.None);

    private static string B64(string json) => Base64UrlEncoder.Encode(json);

    private static string Payload(TestUser user, DateTimeOffset now, string? sessionId = null) => B64(
        $$"""{"sub":"{{user.UserId}}","sid":"{{sessionId ?? user.SessionId}}","amr":["pwd"],"iss":"tenantry","aud":"tenantry","iat":{{now.ToUnixTimeSeconds()}},"nbf":{{now.ToUnixTimeSeconds()}},"exp":{{now.AddMinutes(5).ToUnixTimeSeconds()}}}""");

    /// <summary>Mints with the real key (the attacker cannot): isolates the one claim under test.</summary>
    private async Task<string> MintAsync(Dictionary<string, object> claims, string issuer = "tenantry", string audience = "tenantry",
        DateTimeOffset? notBefore = null, DateTimeOffset? expires = null)
    {
        var now = app.Clock.GetUtcNow();
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = AccessTokens.TokenType,
            Issuer = issuer,
            Audience = audience,
            IssuedAt = (notBefore ?? now).UtcDateTime,
            NotBefore = (notBefore ?? now).UtcDateTime,
            Expires = (expires ?? now.AddMinutes(5)).UtcDateTime,
            SigningCredentials = (await RingAsync()).Signing,
            Claims = claims,
        });
    }

    private static Dictionary<string, object> Claims(TestUser user, string? sessionId = null) =>
        new() { ["sub"] = user.UserId, ["sid"] = sessionId ?? user.SessionId, ["amr"] = new[] { "pwd" } };

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("NONE")]
    [InlineData("nOnE")]
    public async Task Algorithm_none_in_any_spelling(string alg)
    {
        var user = await _api.SignUpAsync();
        var payload = Payload(user, app.Clock.GetUtcNow());
        var header = B64($$"""{"alg":"{{alg}}","typ":"at+jwt"}""");
        await AssertRejectedAsync($"{header}.{payload}.", "alg none, empty signature");
        await AssertRejectedAsync($"{header}.{payload}", "alg none, no signature part");
        await AssertRejectedAsync($"{header}.{payload}.{user.AccessToken.Split('.')[2]}", "alg none with a borrowed signature");
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("HS384")]
    [InlineData("HS512")]
    public async Task Hmac_signed_with_the_public_key_in_every_encoding(string alg)
    {
        var user = await _api.SignUpAsync();
        var ring = await RingAsync();
        var ecdsa = ((ECDsaSecurityKey)ring.Signing.Key).ECDsa;
        var point = ecdsa.ExportParameters(false).Q;
        var spki = ecdsa.ExportSubjectPublicKeyInfo();
        var encodings = new Dictionary<string, byte[]>
        {
            ["DER SPKI"] = spki,
            ["PEM"] = Encoding.ASCII.GetBytes(ecdsa.ExportSubjectPublicKeyInfoPem()),
            ["PEM with newline"] = Encoding.ASCII.GetBytes(ecdsa.ExportSubjectPublicKeyInfoPem() + "\n"),
            ["raw point"] = [0x04, .. point.X!, .. point.Y!],
            ["JWK"] = Encoding.UTF8.GetBytes($$"""{"kty":"EC","crv":"P-256","x":"{{Base64UrlEncoder.Encode(point.X)}}","y":"{{Base64UrlEncoder.Encode(point.Y)}}"}"""),
        };
        var header = B64($$"""{"alg":"{{alg}}","typ":"at+jwt","kid":"{{ring.Signing.Key.KeyId}}"}""");
        var payload = Payload(user, app.Clock.GetUtcNow());
        foreach (var (name, secret) in encodings)
        {
            using HMAC hmac = alg switch { "HS256" => new HMACSHA256(secret), "HS384" => new HMACSHA384(secret), _ => new HMACSHA512(secret) };
            var signature = hmac.ComputeHash(Encoding.ASCII.GetBytes($"{header}.{payload}"));
            await AssertRejectedAsync($"{header}.{payload}.{Base64UrlEncoder.Encode(signature)}", $"{alg} keyed with the {name}");
        }
    }

    [Fact]
    public async Task Signed_by_an_attacker_key_under_our_kid_or_with_the_key_embedded()
    {
        var user = await _api.SignUpAsync();
        var ring = await RingAsync();
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var attackerKey = new ECDsaSecurityKey(attacker) { KeyId = ring.Signing.Key.KeyId };
        var point = attacker.ExportParameters(false).Q;
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var handler = new JsonWebTokenHandler();
        SecurityTokenDescriptor Descriptor(IDictionary<string, object>? header = null) => new()
        {
            TokenType = AccessTokens.TokenType,
            Issuer = "tenantry",
            Audience = "tenantry",
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            SigningCredentials = new SigningCredentials(attackerKey, SecurityAlgorithms.EcdsaSha256),
            Claims = Claims(user),
            AdditionalHeaderClaims = header,
        };

        await AssertRejectedAsync(handler.CreateToken(Descriptor()), "attacker key under our kid");
        await AssertRejectedAsync(handler.CreateToken(Descriptor(new Dictionary<string, object>
        {
            ["jwk"] = new Dictionary<string, object> { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64UrlEncoder.Encode(point.X), ["y"] = Base64UrlEncoder.Encode(point.Y) },
        })), "attacker key embedded as jwk");
        await AssertRejectedAsync(handler.CreateToken(Descriptor(new Dictionary<string, object> { ["jku"] = "http://127.0.0.1:1/jwks.json" })), "jku to an attacker's key set");
        await AssertRejectedAsync(handler.CreateToken(Descriptor(new Dictionary<string, object> { ["x5u"] = "http://127.0.0.1:1/cert.pem" })), "x5u to an attacker's certificate");
    }

    [Theory]
    [InlineData("../../../../dev/null")]
    [InlineData("' OR '1'='1")]
    [InlineData("")]
    public async Task A_kid_that_names_no_key(string kid)
    {
        var user = await _api.SignUpAsync();
        var parts = user.AccessToken.Split('.');
        var header = B64($$"""{"alg":"ES256","typ":"at+jwt","kid":"{{kid.Replace("'", "\\u0027", StringComparison.Ordinal)}}"}""");
        await AssertRejectedAsync($"{header}.{parts[1]}.{parts[2]}", $"kid '{kid}'");
    }

    [Fact]
    public async Task An_rsa_algorithm_with_our_kid()
    {
        var user = await _api.SignUpAsync();
        using var rsa = RSA.Create(2048);
        var ring = await RingAsync();
        var header = B64($$"""{"alg":"RS256","typ":"at+jwt","kid":"{{ring.Signing.Key.KeyId}}"}""");
        var payload = Payload(user, app.Clock.GetUtcNow());
        var signature = rsa.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        await AssertRejectedAsync($"{header}.{payload}.{Base64UrlEncoder.Encode(signature)}", "RS256");
    }

    [Fact]
    public async Task Claims_that_do_not_fit()
    {
        var user = await _api.SignUpAsync();
        var other = await _api.SignUpAsync();
        var now = app.Clock.GetUtcNow();
        await AssertRejectedAsync(await MintAsync(Claims(user), issuer: "https://evil.example"), "wrong issuer");
        await AssertRejectedAsync(await MintAsync(Claims(user), audience: "another-api"), "wrong audience");
        await AssertRejectedAsync(await MintAsync(Claims(user, sessionId: other.SessionId)), "another user's session id");
        await AssertRejectedAsync(await MintAsync(new() { ["sid"] = user.SessionId }), "no subject");
        await AssertRejectedAsync(await MintAsync(new() { ["sub"] = user.UserId }), "no session");
        await AssertRejectedAsync(await MintAsync(Claims(user), notBefore: now.AddMinutes(2), expires: now.AddMinutes(12)), "not yet valid");
        await AssertRejectedAsync(await MintAsync(Claims(user), notBefore: now.AddMinutes(-20), expires: now.AddMinutes(-1)), "expired");
        // Control: the same minting with fitting claims is accepted.
        (await _api.GetAsync(ListPath, await MintAsync(Claims(user)))).AssertOk("2.0.0");
    }

    [Fact]
    public async Task A_real_token_expires_with_the_servers_clock()
    {
        var user = await _api.SignUpAsync();
        (await _api.GetAsync(ListPath, user.AccessToken)).AssertOk();
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        await AssertRejectedAsync(user.AccessToken, "ten-minute token eleven minutes later");
    }

    [Fact]
    public async Task The_token_of_a_signed_out_session()
    {
        var user = await _api.SignUpAsync();
        (await _api.PostAsync("/web/v1/auth/sign-out", token: user.AccessToken)).AssertOk();
        await AssertRejectedAsync(user.AccessToken, "signed out");
        await AssertRejectedAsync(await MintAsync(Claims(user)), "freshly minted for the signed-out session");
    }

    [Fact]
    public async Task Refresh_reuse_ends_the_session_for_every_token()
    {
        var user = await _api.SignUpAsync();
        var rotated = (await _api.PostAsync("/web/v1/auth/refresh", new { refreshToken = user.RefreshToken })).AssertOk();
        (await _api.PostAsync("/web/v1/auth/refresh", new { refreshToken = user.RefreshToken })).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");

        await AssertRejectedAsync(rotated.GetProperty("accessToken").GetString(), "the rotated access token after reuse");
        (await _api.PostAsync("/web/v1/auth/refresh", new { refreshToken = rotated.GetProperty("refreshToken").GetString() }))
            .AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
    }

    [Fact]
    public async Task Tokens_of_one_kind_are_not_tokens_of_another()
    {
        var user = await _api.SignUpAsync();
        await AssertRejectedAsync(user.RefreshToken, "a refresh token as access token");
        await AssertRejectedAsync(user.SessionCookie, "the session cookie as access token");
        // An access token is longer than any refresh token: it is refused before any lookup.
        (await _api.PostAsync("/web/v1/auth/refresh", new { refreshToken = user.AccessToken })).AssertValidationError("$.refreshToken");
        (await _api.PostAsync("/web/v1/auth/refresh", new { refreshToken = user.SessionCookie })).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        var challengeLike = "mfa_" + user.RefreshToken[3..];
        (await _api.PostAsync(MfaApi.Challenge, new { challengeId = challengeLike, code = "123456" })).AssertEnvelope(HttpStatusCode.Unauthorized, "AUTH.MFA_CHALLENGE_INVALID");
    }

    [Theory]
    [InlineData("Bearer  {0}")]
    [InlineData("Bearer {0} {0}")]
    [InlineData("Bearer {0},{0}")]
    [InlineData("Token {0}")]
    [InlineData("Bearer")]
    [InlineData("Bearer {0}x")]
    public async Task Malformed_authorization_headers(string format)
    {
        var user = await _api.SignUpAsync();
        var value = string.Format(global::System.Globalization.CultureInfo.InvariantCulture, format, user.AccessToken);
        var response = await _api.SendAsync(HttpMethod.Get, ListPath, configure: r => r.Headers.TryAddWithoutValidation("Authorization", value));
        if (format == "Bearer  {0}")
        {
            // Extra whitespace around a valid token is tolerated, the token itself still has to verify.
            response.AssertOk("2.0.0");
            return;
        }
        response.AssertEnvelope(HttpStatusCode.Unauthorized, "4010", "2.0.0");
    }
}
