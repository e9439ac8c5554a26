using System.Net;
using Microsoft.AspNetCore.Hosting;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Security;

/// <summary>Headers on every answer: nosniff, no framing, no referrer; no caching of authenticated answers.</summary>
public sealed class SecurityHeaderTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    [Theory]
    [InlineData("/web/v1/system/enums")]
    [InlineData("/web/v1/system/workspaces/mine")]
    [InlineData("/web/v1/no/such/route")]
    [InlineData("/health/live")]
    [InlineData("/.well-known/jwks.json")]
    [InlineData("/not-an-api")]
    public async Task Every_answer_forbids_sniffing_framing_and_referrers(string path)
    {
        using var http = app.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-PORTAL-ACCESS-CODE", TenantryApp.PortalCode);
        using var response = await http.SendAsync(request);

        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task Authenticated_answers_are_never_cached_in_any_dialect()
    {
        var user = await app.System.SignUpAsync();
        Assert.Equal("no-store", (await app.System.GetAsync("/web/v1/system/workspaces/mine", user.AccessToken)).Header("Cache-Control"));

        // Outside the SYSTEM envelope too (Wacht answers, anything else a credential reaches).
        using var http = app.CreateHttpClient();
        using var withCookie = new HttpRequestMessage(HttpMethod.Get, "/me/workspace-memberships");
        withCookie.Headers.Add("Cookie", "__session=" + user.SessionCookie);
        Assert.True((await http.SendAsync(withCookie)).Headers.CacheControl?.NoStore);
        using var withBearer = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        withBearer.Headers.Add("Authorization", "Bearer " + user.AccessToken);
        Assert.True((await http.SendAsync(withBearer)).Headers.CacheControl?.NoStore);
        // The same document fetched anonymously is left to its own caching rules.
        Assert.Null((await http.GetAsync("/openapi/v1.json")).Headers.CacheControl);
        // Public answers keep their own caching.
        Assert.Equal("public, max-age=300", (await http.GetAsync("/.well-known/jwks.json")).Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task No_hsts_outside_production()
    {
        var response = await HstsProbe.SendAsync(app, forwardedProto: "https");
        Assert.Null(response.Header("Strict-Transport-Security"));
    }
}

/// <summary>The server as deployed: environment Production, behind a TLS-terminating proxy that sends X-Forwarded-Proto.</summary>
public sealed class ProductionApp : TenantryApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
    }
}

public static class HstsProbe
{
    public static Task<ApiResponse> SendAsync(TenantryApp app, string? forwardedProto) =>
        app.System.SendAsync(HttpMethod.Get, "/web/v1/system/enums", configure: r =>
        {
            r.Headers.Host = "api.example.com";
            if (forwardedProto is not null)
            {
                r.Headers.Add("X-Forwarded-Proto", forwardedProto);
            }
        });
}

public sealed class ProductionHeaderTests(ProductionApp app) : IClassFixture<ProductionApp>
{
    [Fact]
    public async Task Hsts_is_sent_in_production_for_https()
    {
        var response = await HstsProbe.SendAsync(app, forwardedProto: "https");
        response.AssertOk();
        Assert.Equal("max-age=31536000", response.Header("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Hsts_is_not_sent_over_plain_http()
    {
        Assert.Null((await HstsProbe.SendAsync(app, forwardedProto: null)).Header("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Production_keeps_the_development_shortcuts_off()
    {
        // The development portal code and development sessions exist only in Development.
        (await app.System.SendAsync(HttpMethod.Get, "/web/v1/system/enums", portalCode: "dev-portal")).AssertEnvelope(HttpStatusCode.Forbidden, "GATEWAY.PORTAL_ACCESS_DENIED");
    }
}
