using System.Net;
using System.Text.Json;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.System;

/// <summary>CONTRACT 4: sign-up, sign-in, refresh rotation and reuse, sign-out, the session cookie.</summary>
public sealed class AuthTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private readonly SystemApi _api = app.System;

    [Fact]
    public async Task Sign_up_returns_tokens_and_sets_a_locked_down_session_cookie()
    {
        var email = SystemApi.NewEmail("signup");
        var response = await _api.PostAsync("/web/v1/auth/sign-up", new { email, password = SystemApi.Password, displayName = "Grace" });

        var data = response.AssertOk();
        Assert.Equal(["userBizId", "accessToken", "refreshToken", "tokenType", "expiresIn", "sessionId"], data.EnumerateObject().Select(p => p.Name));
        Assert.StartsWith("usr_", data.GetProperty("userBizId").GetString());
        Assert.StartsWith("sess_", data.GetProperty("sessionId").GetString());
        Assert.Equal("Bearer", data.GetProperty("tokenType").GetString());
        Assert.Equal(600, data.GetProperty("expiresIn").GetInt32());
        Assert.Equal(3, data.GetProperty("accessToken").GetString()!.Split('.').Length);

        var cookie = response.Message.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__session=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie);
        Assert.Contains("secure", cookie);
        Assert.Contains("samesite=lax", cookie);
        Assert.Contains("path=/", cookie);
        Assert.Equal("no-store", response.Header("Cache-Control"));
    }

    [Fact]
    public async Task Passwords_are_stored_only_as_salted_slow_hashes()
    {
        var first = await _api.SignUpAsync();
        var second = await _api.SignUpAsync();
        var hashes = await app.WithDbAsync(db => Task.FromResult(db.Users
            .Where(u => u.Id == first.UserId || u.Id == second.UserId).Select(u => u.PasswordHash).ToList()));

        Assert.Equal(2, hashes.Count);
        Assert.All(hashes, h => Assert.DoesNotContain(SystemApi.Password, h, StringComparison.Ordinal));
        // Same password, different salts: different hashes. Identity's V3 format starts with 0x01.
        Assert.NotEqual(hashes[0], hashes[1]);
        Assert.All(hashes, h => Assert.Equal(1, Convert.FromBase64String(h)[0]));
    }

    [Fact]
    public async Task A_second_sign_up_with_the_same_email_in_any_case_is_refused()
    {
        var email = SystemApi.NewEmail("dup");
        await _api.SignUpAsync(email);

        var again = await _api.PostAsync("/web/v1/auth/sign-up", new { email = email.ToUpperInvariant(), password = SystemApi.Password, displayName = "Copy" });

        again.AssertEnvelope(HttpStatusCode.Conflict, "AUTH.EMAIL_TAKEN");
    }

    [Fact]
    public async Task Concurrent_sign_ups_with_one_email_create_one_account()
    {
        var email = SystemApi.NewEmail("race");
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            _api.PostAsync("/web/v1/auth/sign-up", new { email, password = SystemApi.Password, displayName = "Racer" })));

        Assert.Single(attempts, r => r.Status == HttpStatusCode.OK);
        Assert.All(attempts.Where(r => r.Status != HttpStatusCode.OK), r => r.AssertEnvelope(HttpStatusCode.Conflict, "AUTH.EMAIL_TAKEN"));
        Assert.Equal(1, await app.CountAsync<Domain.Accounts.UserAccount>(q => q.Where(u => u.NormalizedEmail == email)));
    }

    [Theory]
    [InlineData("""{"email":"not-an-email","password":"long enough password","displayName":"X"}""", "$.email")]
    [InlineData("""{"email":"a@example.com","password":"short","displayName":"X"}""", "$.password")]
    [InlineData("""{"email":"a@example.com","password":"long enough password","displayName":"  "}""", "$.displayName")]
    [InlineData("""{"password":"long enough password","displayName":"X"}""", "$.email")]
    public async Task Sign_up_validation_names_the_field(string body, string field)
    {
        var response = await _api.PostAsync("/web/v1/auth/sign-up", body);
        response.AssertValidationError(field);
    }

    [Fact]
    public async Task Sign_in_starts_a_new_session_each_time()
    {
        var user = await _api.SignUpAsync();
        var first = (await _api.PostAsync("/web/v1/auth/sign-in", new { email = user.Email.ToUpperInvariant(), password = user.Password })).AssertOk();
        var second = (await _api.PostAsync("/web/v1/auth/sign-in", new { email = user.Email, password = user.Password })).AssertOk();

        Assert.Equal(user.UserId, first.GetProperty("userBizId").GetString());
        Assert.NotEqual(user.SessionId, first.GetProperty("sessionId").GetString());
        Assert.NotEqual(first.GetProperty("sessionId").GetString(), second.GetProperty("sessionId").GetString());
    }

    [Fact]
    public async Task Wrong_password_and_unknown_email_get_the_same_answer()
    {
        var user = await _api.SignUpAsync();
        var wrongPassword = await _api.PostAsync("/web/v1/auth/sign-in", new { email = user.Email, password = "not the password" });
        var unknownEmail = await _api.PostAsync("/web/v1/auth/sign-in", new { email = SystemApi.NewEmail("ghost"), password = "not the password" });

        wrongPassword.AssertEnvelope(HttpStatusCode.Unauthorized, "AUTH.INVALID_CREDENTIALS");
        unknownEmail.AssertEnvelope(HttpStatusCode.Unauthorized, "AUTH.INVALID_CREDENTIALS");
        Assert.Equal(wrongPassword.MessageText, unknownEmail.MessageText);
        Assert.Null(wrongPassword.Header("Set-Cookie"));
    }

    [Fact]
    public async Task Refresh_rotates_and_keeps_the_session()
    {
        var user = await _api.SignUpAsync();
        var refreshed = (await _api.PostAsync("/web/v1/auth/refresh", new { refreshToken = user.RefreshToken })).AssertOk();

        Assert.Equal(user.SessionId, refreshed.GetProperty("sessionId").GetString());
        Assert.NotEqual(user.RefreshToken, refreshed.GetProperty("refreshToken").GetString());
        var newAccess = refreshed.GetProperty("accessToken").GetString()!;
        (await _api.GetAsync("/web/v1/system/workspaces/mine", newAccess)).AssertOk("2.0.0");

        var next = (await _api.PostAsync("/web/v1/auth/refresh", new { refreshToken = refreshed.GetProperty("refreshToken").GetString() })).AssertOk();
        Assert.Equal(user.SessionId, next.GetProperty("sessionId").GetString());
    }

    [Fact]
    public async Task Reusing_a_spent_refresh_token_revokes_the_whole_session()
    {
        var user = await _api.SignUpAsync();
        var rotated = (await _api.PostAsync("/web/v1/auth/refresh", new { refreshToken = user.RefreshToken })).AssertOk();

        var reuse = await _api.PostAsync("/web/v1/auth/refresh", new { refreshToken = user.RefreshToken });
        reuse.AssertEnvelope(HttpStatusCode.Unauthorized, "4010");

        // Everything of that session is dead now: the newest refresh token and both access tokens.
        (await _api.PostAsync("/web/v1/auth/refresh", new { refreshToken = rotated.GetProperty("refreshToken").GetString() }))
            .AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        (await _api.GetAsync("/web/v1/system/workspaces/mine", rotated.GetProperty("accessToken").GetString())).AssertEnvelope(HttpStatusCode.Unauthorized, "4010", "2.0.0");
        (await _api.GetAsync("/web/v1/system/workspaces/mine", user.AccessToken)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010", "2.0.0");
    }

    [Fact]
    public async Task Concurrent_refreshes_with_one_token_cannot_both_win()
    {
        var user = await _api.SignUpAsync();
        var attempts = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => _api.PostAsync("/web/v1/auth/refresh", new { refreshToken = user.RefreshToken })));

        Assert.True(attempts.Count(a => a.Status == HttpStatusCode.OK) <= 1, string.Join("\n", attempts.Select(a => a.ToString())));
        // A second use of one refresh token is reuse: the session ends.
        (await _api.GetAsync("/web/v1/system/workspaces/mine", user.AccessToken)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
    }

    [Fact]
    public async Task An_unknown_refresh_token_is_rejected()
    {
        var response = await _api.PostAsync("/web/v1/auth/refresh", new { refreshToken = "rt_made-up" });
        response.AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
    }

    [Fact]
    public async Task Sign_out_rejects_the_session_at_once_and_expires_the_cookie()
    {
        var user = await _api.SignUpAsync();
        var other = (await _api.PostAsync("/web/v1/auth/sign-in", new { email = user.Email, password = user.Password })).AssertOk();
        (await _api.GetAsync("/web/v1/system/workspaces/mine", user.AccessToken)).AssertOk();

        var signOut = await _api.PostAsync("/web/v1/auth/sign-out", token: user.AccessToken);

        signOut.AssertOk();
        Assert.Equal(JsonValueKind.Null, signOut.Data.ValueKind);
        var expired = signOut.Message.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__session=", StringComparison.Ordinal));
        Assert.Contains("expires=Thu, 01 Jan 1970", expired, StringComparison.OrdinalIgnoreCase);
        (await _api.GetAsync("/web/v1/system/workspaces/mine", user.AccessToken)).AssertEnvelope(HttpStatusCode.Unauthorized, "4010", "2.0.0");
        (await _api.PostAsync("/web/v1/auth/refresh", new { refreshToken = user.RefreshToken })).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
        // Other sessions of the same user are untouched.
        (await _api.GetAsync("/web/v1/system/workspaces/mine", other.GetProperty("accessToken").GetString())).AssertOk();
    }

    [Fact]
    public async Task Sign_out_needs_a_token()
    {
        (await _api.PostAsync("/web/v1/auth/sign-out")).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
    }

    [Fact]
    public async Task Jwks_publishes_only_public_P256_keys_that_verify_the_access_tokens()
    {
        var user = await _api.SignUpAsync();
        var jwks = JsonDocument.Parse(await _api.Http.GetStringAsync("/.well-known/jwks.json")).RootElement;
        var keys = jwks.GetProperty("keys").EnumerateArray().ToArray();

        Assert.NotEmpty(keys);
        Assert.All(keys, key =>
        {
            Assert.Equal("EC", key.GetProperty("kty").GetString());
            Assert.Equal("P-256", key.GetProperty("crv").GetString());
            Assert.Equal("ES256", key.GetProperty("alg").GetString());
            Assert.False(key.TryGetProperty("d", out _), "A private key part was published.");
        });

        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(user.AccessToken);
        Assert.Equal("ES256", token.Alg);
        Assert.Equal("at+jwt", token.Typ);
        var jwk = keys.Single(k => k.GetProperty("kid").GetString() == token.Kid);
        var result = await new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().ValidateTokenAsync(user.AccessToken,
            new Microsoft.IdentityModel.Tokens.TokenValidationParameters
            {
                IssuerSigningKey = new Microsoft.IdentityModel.Tokens.JsonWebKey(jwk.GetRawText()),
                ValidateIssuer = false,
                ValidateAudience = false,
            });
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(user.SessionId, result.Claims["sid"]);
    }
}
