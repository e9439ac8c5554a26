using System.Text.Json;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Webhooks;

/// <summary>The webhook server with the give-up and disable windows shrunk from days to seconds.</summary>
public sealed class ShortWindowWebhookApp : WebhookApp
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        base.Configure(settings);
        settings["Tenantry:Webhooks:GiveUpAfter"] = "00:00:03";
        settings["Tenantry:Webhooks:DisableAfter"] = "00:00:04";
    }
}

/// <summary>
/// A receiver that keeps failing: each delivery is retried until its give-up window is over, then
/// recorded as failed; once every attempt has failed for the disable window the endpoint is disabled,
/// and its owners read why. (Production windows: 3 days and 5 days.)
/// </summary>
public sealed class WebhookGiveUpTests(ShortWindowWebhookApp app) : IClassFixture<ShortWindowWebhookApp>
{
    private readonly SystemApi _api = app.System;

    [Fact]
    public async Task A_delivery_that_keeps_failing_is_given_up_and_an_endpoint_failing_for_the_whole_window_is_disabled()
    {
        var owner = await _api.SignUpAsync(SystemApi.NewEmail("owner"), "Olivia Owner");
        var workspaceId = await _api.CreateWorkspaceAsync(owner, "Failing Inc");
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => 500;
        var (webhookId, secret) = await _api.CreateWebhookAsync(owner, workspaceId, receiver.Url);
        receiver.Secrets.Add(secret);

        (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", new { workspaceName = "First" }, owner.AccessToken)).AssertOk();
        var first = (await _api.DeliveriesWhenAsync(owner, workspaceId, webhookId, d => d.Length == 1 && d[0].Text("status") == "FAILED"))[0];
        Assert.StartsWith("Given up after ", first.Text("lastError"), StringComparison.Ordinal);
        Assert.Contains("The endpoint answered 500", first.Text("lastError"), StringComparison.Ordinal);
        Assert.Equal(500, first.GetProperty("lastStatusCode").GetInt32());
        Assert.True(first.GetProperty("attempts").GetInt32() >= 2, "Retried before it was given up.");
        Assert.Equal(first.GetProperty("attempts").GetInt32(), receiver.Received.Count(r => r.Id == first.Text("deliveryId")));
        // Giving up one delivery does not disable the endpoint: that takes failing for the whole window.
        var failing = await _api.WebhookAsync(owner, workspaceId, webhookId);
        Assert.True(failing.Flag("enabled"));
        Assert.Equal(JsonValueKind.String, failing.GetProperty("failingSince").ValueKind);

        (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", new { workspaceName = "Second" }, owner.AccessToken)).AssertOk();
        JsonElement endpoint = default;
        await Eventually.TrueAsync(async () => !(endpoint = await _api.WebhookAsync(owner, workspaceId, webhookId)).Flag("enabled"));
        Assert.StartsWith("Every delivery attempt failed since ", endpoint.Text("disabledReason"), StringComparison.Ordinal);
        Assert.Contains("The endpoint answered 500", endpoint.Text("disabledReason"), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.String, endpoint.GetProperty("disabledAt").ValueKind);
        // Nothing is left pending on a disabled endpoint (the second delivery was given up, or failed by the disabling); both can be replayed.
        var deliveries = await _api.DeliveriesAsync(owner, workspaceId, webhookId);
        Assert.Equal(2, deliveries.Length);
        Assert.All(deliveries, d => Assert.Equal("FAILED", d.Text("status")));
    }
}
