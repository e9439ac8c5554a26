using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Webhooks;
using Tenantry.Domain.Webhooks;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Webhooks;

/// <summary>The server as deployed (Production), webhooks with their defaults but fast intervals: https only, public addresses only.</summary>
public sealed class ProductionWebhookApp : TenantryApp
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        foreach (var (key, value) in WebhookApp.FastSettings().Where(s => !s.Key.EndsWith("AllowPrivateNetworks", StringComparison.Ordinal) && !s.Key.EndsWith("RequireHttps", StringComparison.Ordinal)))
        {
            settings[key] = value;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
    }
}

/// <summary>
/// SSRF: in Production a webhook URL must be https and resolve only to public addresses, checked when
/// the endpoint is created or changed and again on every connection (a host whose DNS now points
/// inside gets nothing). No request of these tests leaves the machine: every address is refused before connecting.
/// </summary>
public sealed class WebhookSsrfTests(ProductionWebhookApp app) : IClassFixture<ProductionWebhookApp>
{
    private readonly SystemApi _api = app.System;

    [Theory]
    [InlineData("http://hooks.example.com/tenantry")]
    [InlineData("https://localhost/hooks")]
    [InlineData("https://127.0.0.1/hooks")]
    [InlineData("https://127.8.9.10:8443/hooks")]
    [InlineData("https://10.1.2.3/hooks")]
    [InlineData("https://172.16.0.1/hooks")]
    [InlineData("https://192.168.1.10/hooks")]
    [InlineData("https://100.64.0.1/hooks")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://0.0.0.0/hooks")]
    [InlineData("https://[::1]/hooks")]
    [InlineData("https://[fe80::1]/hooks")]
    [InlineData("https://[fd00:ec2::254]/latest")]
    [InlineData("https://[::ffff:127.0.0.1]/hooks")]
    [InlineData("https://2130706433/hooks")]
    public async Task A_url_that_is_not_https_or_reaches_an_internal_address_is_refused_at_creation(string url)
    {
        var owner = await _api.SignUpAsync();
        var workspaceId = await _api.CreateWorkspaceAsync(owner);
        (await _api.PostAsync(WebhookCalls.Path(workspaceId), new { url }, owner.AccessToken)).AssertValidationError("$.url");
        var institutionId = await app.InstitutionOfAsync(workspaceId);
        (await _api.AdminSendAsync(HttpMethod.Post, $"/admin/v1/institutions/{institutionId}/webhooks", new { url })).AssertValidationError("$.url");
        Assert.Equal(0, await app.CountAsync<WebhookEndpoint>(q => q.Where(e => e.InstitutionId == institutionId)));
    }

    [Fact]
    public async Task An_endpoint_whose_host_now_resolves_to_loopback_gets_nothing_at_delivery_time()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var owner = await _api.SignUpAsync();
        var workspaceId = await _api.CreateWorkspaceAsync(owner);
        var institutionId = await app.InstitutionOfAsync(workspaceId);
        // As if the endpoint had been created while its host resolved to a public address, and its DNS changed since:
        // localhost resolves to 127.0.0.1, where the receiver listens. Created now, so that only the change below reaches it
        // (an endpoint gets the events from its creation on; the workspace's creation may still be waiting in the outbox).
        var webhookId = await app.WithDbAsync(async db =>
        {
            var secrets = new WebhookSecrets(new Application.Security.SecretsAtRest(
                Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>(app.Services)));
            var endpoint = WebhookEndpoint.Create(institutionId, $"https://localhost:{receiver.Port}/hooks/tenantry", null, [], secrets.Create().Stored,
                DateTimeOffset.UtcNow);
            db.WebhookEndpoints.Add(endpoint);
            await db.SaveChangesAsync();
            return endpoint.Id;
        });
        (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", new { workspaceName = "Internal" }, owner.AccessToken)).AssertOk();

        var delivery = (await _api.DeliveriesWhenAsync(owner, workspaceId, webhookId, d => d.Length == 1 && d[0].GetProperty("attempts").GetInt32() >= 2))[0];
        Assert.Equal("PENDING", delivery.Text("status"));
        Assert.Contains("not a public address", delivery.Text("lastError"), StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", delivery.Text("lastError"), StringComparison.Ordinal);
        Assert.Equal(global::System.Text.Json.JsonValueKind.Null, delivery.GetProperty("lastStatusCode").ValueKind);
        Assert.Empty(receiver.Received);
        // Changing it to such a URL through the API is refused too.
        (await _api.PatchAsync(WebhookCalls.Path(workspaceId, "/" + webhookId), new { url = $"https://localhost:{receiver.Port}/x" }, owner.AccessToken))
            .AssertValidationError("$.url");
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync(WebhookCalls.Path(workspaceId, "/" + webhookId), owner.AccessToken)).Status);
    }
}
