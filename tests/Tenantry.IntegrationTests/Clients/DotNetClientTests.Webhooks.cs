using Microsoft.Extensions.DependencyInjection;
using Tenantry.Client;
using Tenantry.IntegrationTests.Infrastructure;
using Tenantry.IntegrationTests.Webhooks;

namespace Tenantry.IntegrationTests.Clients;

public sealed partial class DotNetClientTests
{
    [Fact]
    public async Task The_admin_client_manages_webhook_endpoints_and_their_deliveries()
    {
        await using var services = Services();
        var admin = services.GetRequiredService<TenantryAdminClient>();
        await using var receiver = await WebhookReceiver.StartAsync();
        var owner = await app.System.SignUpAsync();
        await app.System.CreateWorkspaceAsync(owner, "Sdk hooks");
        var institutionId = Assert.Single(await app.System.ListMineAsync(owner)).Text("institutionBizId");

        var created = await admin.CreateWebhookAsync(institutionId, receiver.Url, "sdk receiver", ["member.added"]);
        Assert.StartsWith("whsec_", created.Secret, StringComparison.Ordinal);
        receiver.Secrets.Add(created.Secret!);
        var other = await admin.CreateWebhookAsync(institutionId, receiver.Url + "/other");
        Assert.Empty(other.EventTypes);

        var page = await admin.GetWebhooksPageAsync(institutionId, 1, pageSize: 1);
        Assert.Equal((2, true, created.WebhookBizId), (page.Total, page.HasMore, Assert.Single(page.Items).WebhookBizId));
        var all = new List<string>();
        await foreach (var endpoint in admin.ListWebhooksAsync(institutionId, pageSize: 1))
        {
            Assert.Null(endpoint.Secret);
            all.Add(endpoint.WebhookBizId);
        }
        Assert.Equal([created.WebhookBizId, other.WebhookBizId], all);
        var got = await admin.GetWebhookAsync(institutionId, created.WebhookBizId);
        Assert.Equal(("sdk receiver", (string?)null), (got.Description, got.Secret));

        // Only what is named changes: the URL and the event types stay.
        var updated = await admin.UpdateWebhookAsync(institutionId, created.WebhookBizId, new TenantryWebhookChanges(Description: "renamed"));
        Assert.Equal(("renamed", receiver.Url, "member.added"), (updated.Description, updated.Url, Assert.Single(updated.EventTypes)));

        var test = await admin.SendWebhookTestAsync(institutionId, created.WebhookBizId);
        Assert.Equal("webhook.test", test.EventType);
        Assert.Equal(test.DeliveryId, Assert.Single(await receiver.WaitForAsync(1)).Id);
        await Eventually.TrueAsync(async () => (await admin.GetWebhookDeliveriesPageAsync(institutionId, created.WebhookBizId)).Items.Single().Status == "DELIVERED");
        var deliveries = new List<string>();
        await foreach (var delivery in admin.ListWebhookDeliveriesAsync(institutionId, created.WebhookBizId, pageSize: 1))
        {
            deliveries.Add(delivery.DeliveryId);
        }
        Assert.Equal([test.DeliveryId], deliveries);
        Assert.Equal("PENDING", (await admin.ReplayWebhookDeliveryAsync(institutionId, created.WebhookBizId, test.DeliveryId)).Status);
        Assert.Equal(test.DeliveryId, (await receiver.WaitForAsync(2))[1].Id);
        Assert.Equal(0, await admin.ReplayFailedWebhookDeliveriesAsync(institutionId, created.WebhookBizId, DateTimeOffset.UtcNow.AddHours(-1)));

        var rotated = await admin.RotateWebhookSecretAsync(institutionId, created.WebhookBizId);
        Assert.StartsWith("whsec_", rotated.Secret, StringComparison.Ordinal);
        Assert.NotEqual(created.Secret, rotated.Secret);
        Assert.NotNull(rotated.PreviousSecretExpiresAt);

        var disabled = await admin.UpdateWebhookAsync(institutionId, created.WebhookBizId, new TenantryWebhookChanges(Enabled: false));
        Assert.False(disabled.Enabled);
        var conflict = await Assert.ThrowsAsync<TenantryApiException>(() => admin.SendWebhookTestAsync(institutionId, created.WebhookBizId));
        Assert.Equal(409, conflict.StatusCode);

        await admin.DeleteWebhookAsync(institutionId, created.WebhookBizId);
        Assert.True((await Assert.ThrowsAsync<TenantryApiException>(() => admin.GetWebhookAsync(institutionId, created.WebhookBizId))).IsNotFound);
        var invalid = await Assert.ThrowsAsync<TenantryApiException>(() => admin.CreateWebhookAsync(institutionId, "ftp://example.com/hooks"));
        Assert.Equal("4000", invalid.Code);
        Assert.Contains(invalid.Fields, f => string.Equals(f.Field, "$.url", StringComparison.OrdinalIgnoreCase));
    }
}
