using System.Net;
using System.Text.Json;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.System;

/// <summary>Health, OpenAPI, the API reference, and the trusted-proxy rule seen from outside.</summary>
public sealed class OperabilityTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    [Fact]
    public async Task Health_endpoints_answer()
    {
        var http = app.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        var ready = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Concurrent_readiness_checks_all_see_a_healthy_database()
    {
        // Load balancers probe from several checkers at once; one check in flight must not make the others fail.
        var http = app.CreateHttpClient();
        for (var round = 0; round < 5; round++)
        {
            var checks = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => http.GetAsync("/health/ready")));
            Assert.All(checks, c => Assert.Equal(HttpStatusCode.OK, c.StatusCode));
        }
    }

    [Fact]
    public async Task The_openapi_document_describes_both_path_families()
    {
        var http = app.CreateHttpClient();
        var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Contains("/web/v1/system/workspaces/mine", paths);
        Assert.Contains("/web/v1/tenant/workspaces/mine", paths);
        Assert.Contains("/web/v1/workspaces/self", paths);
        Assert.Contains("/web/v1/workspaces/{workspaceBizId}", paths);
        Assert.Contains("/web/v1/auth/sign-in", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/admin/", StringComparison.Ordinal));
        var admin = JsonDocument.Parse(await http.GetStringAsync("/openapi/admin.json")).RootElement;
        Assert.Contains("/admin/v1/institutions/{institutionBizId}", admin.GetProperty("paths").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task The_api_reference_is_served_at_docs()
    {
        var http = app.CreateHttpClient();
        var response = await http.GetAsync("/docs");
        if (response.StatusCode is HttpStatusCode.Found or HttpStatusCode.MovedPermanently)
        {
            response = await http.GetAsync(response.Headers.Location);
        }
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Errors_outside_the_apis_are_problem_details_without_stack_traces()
    {
        var response = await app.CreateHttpClient().GetAsync("/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
    }
}

/// <summary>A server that trusts CF-Connecting-IP only from 10.9.9.9, so loopback test clients are untrusted peers.</summary>
public sealed class UntrustedProxyApp : TenantryApp
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Tenantry:Gateway:TrustForwardedFrom:0"] = "10.9.9.9/32";
        settings.Remove("Tenantry:Gateway:TrustForwardedFrom:1");
    }
}

public sealed class UntrustedProxyTests(UntrustedProxyApp app) : IClassFixture<UntrustedProxyApp>
{
    [Fact]
    public async Task Cf_connecting_ip_from_an_untrusted_peer_is_ignored()
    {
        var api = app.System;
        var owner = await api.SignUpAsync();
        var workspaceId = await api.CreateWorkspaceAsync(owner);
        // Set by the operator: the owner's own request comes from loopback, which this allow-list would shut out.
        (await api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { policyConfig = new { ipAllowlist = new[] { "203.0.113.0/24" } } })).AssertOk();

        // The header claims an allowed address, but the TCP peer (loopback) is not a trusted proxy here.
        Assert.False(Assert.Single(await api.ListMineAsync(owner, clientIp: "203.0.113.9")).GetProperty("enterable").GetBoolean());

        // And the address that is really used is the peer's: allow loopback and the same request is admitted.
        (await api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { policyConfig = new { ipAllowlist = new[] { "127.0.0.0/8", "::1" } } })).AssertOk();
        Assert.True(Assert.Single(await api.ListMineAsync(owner, clientIp: "203.0.113.9")).GetProperty("enterable").GetBoolean());
    }
}
