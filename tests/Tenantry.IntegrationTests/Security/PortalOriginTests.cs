using System.Net;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Security;

/// <summary>Two named portals, each bound to its own front-end origin, beside the plain test portal code.</summary>
public sealed class PortalOriginApp : TenantryApp
{
    public const string ConsoleOrigin = "https://console.example.test";
    public const string ConsoleCode = "console-portal-code";
    public const string BillingOrigin = "https://billing.example.test";
    public const string BillingCode = "billing-portal-code";

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Tenantry:Portals:console:AccessCode"] = ConsoleCode;
        settings["Tenantry:Portals:console:AllowedOrigins:0"] = ConsoleOrigin;
        settings["Tenantry:Portals:billing:AccessCode"] = BillingCode;
        settings["Tenantry:Portals:billing:AllowedOrigins:0"] = BillingOrigin;
    }
}

/// <summary>CORS per portal: each portal's code works from its own origins (and from servers), and only those origins get CORS answers.</summary>
public sealed class PortalOriginTests(PortalOriginApp app) : IClassFixture<PortalOriginApp>
{
    private Task<ApiResponse> EnumsAsync(string portalCode, string? origin) =>
        app.System.SendAsync(HttpMethod.Get, "/web/v1/system/enums", portalCode: portalCode,
            configure: r => { if (origin is not null) { r.Headers.Add("Origin", origin); } });

    [Fact]
    public async Task A_portal_code_is_accepted_from_its_own_origin_with_cors_headers()
    {
        var response = await EnumsAsync(PortalOriginApp.ConsoleCode, PortalOriginApp.ConsoleOrigin);

        response.AssertOk();
        Assert.Equal(PortalOriginApp.ConsoleOrigin, response.Header("Access-Control-Allow-Origin"));
        Assert.Null(response.Header("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task A_portal_code_is_accepted_from_a_server_that_sends_no_origin()
    {
        var response = await EnumsAsync(PortalOriginApp.BillingCode, origin: null);

        response.AssertOk();
        Assert.Null(response.Header("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData(PortalOriginApp.ConsoleCode, PortalOriginApp.BillingOrigin)]
    [InlineData(PortalOriginApp.BillingCode, PortalOriginApp.ConsoleOrigin)]
    [InlineData(PortalOriginApp.ConsoleCode, "https://evil.example.test")]
    public async Task A_portal_code_from_another_origin_is_refused(string code, string origin)
    {
        var response = await EnumsAsync(code, origin);

        response.AssertEnvelope(HttpStatusCode.Forbidden, "GATEWAY.PORTAL_ACCESS_DENIED");
    }

    [Fact]
    public async Task A_code_without_origins_still_works_from_anywhere_but_gets_no_cors()
    {
        var response = await EnumsAsync(TenantryApp.PortalCode, "https://evil.example.test");

        response.AssertOk();
        Assert.Null(response.Header("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData(PortalOriginApp.ConsoleOrigin, true)]
    [InlineData(PortalOriginApp.BillingOrigin, true)]
    [InlineData("https://evil.example.test", false)]
    public async Task The_preflight_of_a_mutation_is_answered_for_portal_origins_only(string origin, bool allowed)
    {
        using var http = app.CreateHttpClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/web/v1/workspaces/ws_any/roles/role_any");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "PATCH");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization, content-type, x-portal-access-code");

        using var response = await http.SendAsync(preflight);

        Assert.True(response.IsSuccessStatusCode, response.StatusCode.ToString());
        if (allowed)
        {
            Assert.Equal(origin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
            Assert.Contains("PATCH", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);
            Assert.Contains("x-portal-access-code", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        }
    }

    [Fact]
    public async Task Paging_headers_are_readable_by_the_front_end()
    {
        var user = await app.System.SignUpAsync();
        var workspaceId = await app.System.CreateWorkspaceAsync(user);

        var response = await app.System.SendAsync(HttpMethod.Get, $"/web/v1/workspaces/{workspaceId}/members", token: user.AccessToken,
            portalCode: PortalOriginApp.ConsoleCode, configure: r => r.Headers.Add("Origin", PortalOriginApp.ConsoleOrigin));

        response.AssertOk();
        Assert.Contains("X-Total-Count", response.Header("Access-Control-Expose-Headers") ?? "", StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>The default server: no portal is bound to an origin, so the SYSTEM dialect grants no browser anything cross-site.</summary>
public sealed class NoPortalOriginTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    [Fact]
    public async Task A_preflight_is_an_ordinary_request_refused_in_the_envelope()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/web/v1/system/enums");
        preflight.Headers.Add("Origin", "https://console.example.test");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");

        using var response = await app.CreateHttpClient().SendAsync(preflight);

        new ApiResponse(response, await response.Content.ReadAsStringAsync()).AssertEnvelope(HttpStatusCode.Forbidden, "GATEWAY.PORTAL_ACCESS_DENIED");
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
