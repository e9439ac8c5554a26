using System.Net;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.System;

/// <summary>A server with small sign-in limits: 3 auth requests per client IP, 3 sign-in attempts per account.</summary>
public sealed class RateLimitedApp : TenantryApp
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Tenantry:Auth:AuthRequestsPerIp"] = "3";
        settings["Tenantry:Auth:SignInAttemptsPerAccount"] = "3";
    }
}

public sealed class RateLimitTests(RateLimitedApp app) : IClassFixture<RateLimitedApp>
{
    private readonly SystemApi _api = app.System;

    private Task<ApiResponse> SignInAsync(string email, string password, string clientIp) =>
        _api.SendAsync(HttpMethod.Post, "/web/v1/auth/sign-in", new { email, password }, clientIp: clientIp);

    private async Task<string> SignUpFromAsync(string clientIp)
    {
        var email = SystemApi.NewEmail("limited");
        (await _api.SendAsync(HttpMethod.Post, "/web/v1/auth/sign-up", new { email, password = SystemApi.Password, displayName = "L" }, clientIp: clientIp)).AssertOk();
        return email;
    }

    [Fact]
    public async Task Sign_in_is_limited_per_client_ip()
    {
        var email = await SignUpFromAsync("192.0.2.1");
        (await SignInAsync(email, "wrong password!", "192.0.2.1")).AssertEnvelope(HttpStatusCode.Unauthorized, "AUTH.INVALID_CREDENTIALS");
        (await SignInAsync(email, "wrong password!", "192.0.2.1")).AssertEnvelope(HttpStatusCode.Unauthorized, "AUTH.INVALID_CREDENTIALS");

        var limited = await SignInAsync(email, SystemApi.Password, "192.0.2.1");

        limited.AssertEnvelope(HttpStatusCode.TooManyRequests, "4290");
        Assert.True(int.Parse(limited.Header("Retry-After")!, global::System.Globalization.CultureInfo.InvariantCulture) > 0);
        // Another client address is not affected.
        (await SignInAsync(email, SystemApi.Password, "192.0.2.2")).AssertOk();
    }

    [Fact]
    public async Task Sign_in_is_limited_per_account_across_addresses()
    {
        var email = await SignUpFromAsync("198.18.0.1");
        for (var i = 0; i < 3; i++)
        {
            (await SignInAsync(email, "wrong password!", $"198.18.1.{i}")).AssertEnvelope(HttpStatusCode.Unauthorized, "AUTH.INVALID_CREDENTIALS");
        }

        var limited = await SignInAsync(email.ToUpperInvariant(), SystemApi.Password, "198.18.2.1");
        limited.AssertEnvelope(HttpStatusCode.TooManyRequests, "4290");
        Assert.NotNull(limited.Header("Retry-After"));

        // Other accounts can still sign in.
        var other = await SignUpFromAsync("198.18.3.1");
        (await SignInAsync(other, SystemApi.Password, "198.18.4.1")).AssertOk();
    }

    [Fact]
    public async Task Wachts_password_reset_counts_toward_the_same_per_ip_limit_as_sign_in()
    {
        var email = await SignUpFromAsync("203.0.113.90");
        (await SignInAsync(email, "wrong password!", "203.0.113.90")).AssertEnvelope(HttpStatusCode.Unauthorized, "AUTH.INVALID_CREDENTIALS");
        var wacht = app.Wacht();
        Task<WachtResponse> ForgotAsync(string clientIp) => wacht.SendAsync(HttpMethod.Post, "/auth/forgot-password", null,
            new FormUrlEncodedContent([new("email", email)]), clientIp);

        (await ForgotAsync("203.0.113.90")).AssertOk(signedIn: false);

        (await ForgotAsync("203.0.113.90")).AssertError(HttpStatusCode.TooManyRequests);
        (await _api.SendAsync(HttpMethod.Post, "/web/v1/auth/sign-in", new { email, password = SystemApi.Password }, clientIp: "203.0.113.90"))
            .AssertEnvelope(HttpStatusCode.TooManyRequests, "4290");
        (await wacht.SendAsync(HttpMethod.Post, "/auth/reset-password", null,
            new FormUrlEncodedContent([new("token", "x"), new("password", SystemApi.Password)]), "203.0.113.90")).AssertError(HttpStatusCode.TooManyRequests);
        (await ForgotAsync("203.0.113.91")).AssertOk(signedIn: false);
    }

    [Fact]
    public async Task Sign_up_is_limited_per_client_ip_too()
    {
        for (var i = 0; i < 3; i++)
        {
            await SignUpFromAsync("203.0.113.250");
        }
        var limited = await _api.SendAsync(HttpMethod.Post, "/web/v1/auth/sign-up",
            new { email = SystemApi.NewEmail(), password = SystemApi.Password, displayName = "L" }, clientIp: "203.0.113.250");
        limited.AssertEnvelope(HttpStatusCode.TooManyRequests, "4290");
    }
}
