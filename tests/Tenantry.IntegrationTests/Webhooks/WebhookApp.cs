using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Outbox;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Webhooks;

/// <summary>
/// The server with webhooks on fast intervals (the production defaults are 10 s timeout, retries
/// over 3 days) and private networks allowed, since the receivers listen on loopback.
/// </summary>
public class WebhookApp : TenantryApp
{
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(1.5);

    public static Dictionary<string, string?> FastSettings() => new()
    {
        ["Tenantry:Webhooks:AllowPrivateNetworks"] = "true",
        ["Tenantry:Webhooks:RequireHttps"] = "false",
        ["Tenantry:Webhooks:PollInterval"] = "00:00:00.200",
        ["Tenantry:Webhooks:RetryBaseDelay"] = "00:00:00.400",
        ["Tenantry:Webhooks:RetryMaxDelay"] = "00:00:01.500",
        ["Tenantry:Webhooks:RetryJitter"] = "0.1",
        ["Tenantry:Webhooks:Timeout"] = AttemptTimeout.ToString(),
        ["Tenantry:Webhooks:LeaseDuration"] = "00:00:05",
        ["Tenantry:Outbox:PollInterval"] = "00:00:00.200",
    };

    protected override void Configure(IDictionary<string, string?> settings)
    {
        foreach (var (key, value) in FastSettings())
        {
            settings[key] = value;
        }
    }

    /// <summary>Every webhook event in the outbox has been expanded (so no more deliveries will appear for what happened so far).</summary>
    public Task AllEventsExpandedAsync() =>
        Eventually.TrueAsync(async () => await CountAsync<Data.Outbox.OutboxMessage>(q => q.Where(m => m.Kind == OutboxKinds.WebhookEvent && m.SentAt == null)) == 0,
            TimeSpan.FromSeconds(30));
}

/// <summary>Calls of the webhook management API (SYSTEM dialect, through a workspace of the institution).</summary>
public static class WebhookCalls
{
    public static string Path(string workspaceId, string rest = "") => $"/web/v1/workspaces/{workspaceId}/webhooks{rest}";

    public static async Task<(string Id, string Secret)> CreateWebhookAsync(this SystemApi api, TestUser owner, string workspaceId, string url, params string[] eventTypes)
    {
        var data = (await api.PostAsync(Path(workspaceId), new { url, description = "test receiver", eventTypes }, owner.AccessToken)).AssertOk("1.0.0");
        return (data.Text("webhookBizId"), data.Text("secret"));
    }

    public static async Task<JsonElement> WebhookAsync(this SystemApi api, TestUser owner, string workspaceId, string webhookId) =>
        (await api.GetAsync(Path(workspaceId, "/" + webhookId), owner.AccessToken)).AssertOk("1.0.0");

    public static async Task<JsonElement[]> DeliveriesAsync(this SystemApi api, TestUser owner, string workspaceId, string webhookId) =>
        (await api.GetAsync(Path(workspaceId, $"/{webhookId}/deliveries?pageSize=200"), owner.AccessToken)).AssertOk("1.0.0").EnumerateArray().ToArray();

    /// <summary>Waits until the endpoint's deliveries satisfy <paramref name="condition"/>; returns them.</summary>
    public static async Task<JsonElement[]> DeliveriesWhenAsync(
        this SystemApi api, TestUser owner, string workspaceId, string webhookId, Func<JsonElement[], bool> condition, TimeSpan? within = null)
    {
        JsonElement[] deliveries = [];
        await Eventually.TrueAsync(async () => condition(deliveries = await api.DeliveriesAsync(owner, workspaceId, webhookId)), within ?? TimeSpan.FromSeconds(30));
        return deliveries;
    }
}
