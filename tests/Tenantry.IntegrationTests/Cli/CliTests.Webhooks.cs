using System.Text.Json;
using System.Text.RegularExpressions;
using Tenantry.IntegrationTests.Infrastructure;
using Tenantry.IntegrationTests.Webhooks;

namespace Tenantry.IntegrationTests.Cli;

public sealed partial class CliTests
{
    [GeneratedRegex("whsec_[A-Za-z0-9+/=]+")]
    private static partial Regex Secret();

    [Fact]
    public async Task An_operator_manages_an_institutions_webhook_endpoint_and_its_deliveries_from_the_cli()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var owner = await app.System.SignUpAsync();
        var workspaceId = await app.System.CreateWorkspaceAsync(owner, "Cli hooks " + Guid.NewGuid().ToString("N")[..8]);
        var institutionId = Assert.Single(await app.System.ListMineAsync(owner)).Text("institutionBizId");

        var created = await TenantryAsync("webhooks", "create", institutionId, receiver.Url, "--description", "CLI receiver", "--event-type", "member.added", "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        var endpoint = JsonDocument.Parse(created.Out).RootElement;
        var webhookId = endpoint.GetProperty("webhookBizId").GetString()!;
        var secret = endpoint.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(["member.added"], endpoint.GetProperty("eventTypes").EnumerateArray().Select(e => e.GetString()));
        receiver.Secrets.Add(secret);

        var listed = await TenantryAsync("webhooks", "list", institutionId);
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Contains(webhookId, listed.Out, StringComparison.Ordinal);
        Assert.Contains(receiver.Url, listed.Out, StringComparison.Ordinal);
        Assert.Contains("1 in all", listed.Out, StringComparison.Ordinal);
        var shown = await TenantryAsync("webhooks", "show", institutionId, webhookId, "--json");
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Equal("CLI receiver", JsonDocument.Parse(shown.Out).RootElement.GetProperty("description").GetString());

        // A test event: queued by the CLI, delivered to the receiver signed with the secret, then listed with its status.
        var test = await TenantryAsync("webhooks", "test", institutionId, webhookId, "--json");
        Assert.True(test.ExitCode == 0, test.ToString());
        var deliveryId = JsonDocument.Parse(test.Out).RootElement.GetProperty("deliveryId").GetString()!;
        var arrived = Assert.Single(await receiver.WaitForAsync(1));
        Assert.Equal(("webhook.test", deliveryId, secret), (arrived.Type, arrived.Id, Assert.Single(arrived.VerifiedWith)));
        await app.System.DeliveriesWhenAsync(owner, workspaceId, webhookId, d => d.Any(x => x.Text("status") == "DELIVERED"));
        var deliveries = await TenantryAsync("webhooks", "deliveries", institutionId, webhookId);
        Assert.True(deliveries.ExitCode == 0, deliveries.ToString());
        Assert.Contains(deliveryId, deliveries.Out, StringComparison.Ordinal);
        Assert.Contains("DELIVERED", deliveries.Out, StringComparison.Ordinal);

        var replayed = await TenantryAsync("webhooks", "replay", institutionId, webhookId, deliveryId, "--json");
        Assert.True(replayed.ExitCode == 0, replayed.ToString());
        Assert.Equal("PENDING", JsonDocument.Parse(replayed.Out).RootElement.GetProperty("status").GetString());
        Assert.Equal(deliveryId, (await receiver.WaitForAsync(2))[1].Id);
        var replayedFailed = await TenantryAsync("webhooks", "replay-failed", institutionId, webhookId, "--since", "1h", "--json");
        Assert.True(replayedFailed.ExitCode == 0, replayedFailed.ToString());
        Assert.Equal(0, JsonDocument.Parse(replayedFailed.Out).RootElement.GetProperty("replayed").GetInt32());

        // The new secret is printed by rotate-secret (a table here), and by nothing else.
        var rotated = await TenantryAsync("webhooks", "rotate-secret", institutionId, webhookId);
        Assert.True(rotated.ExitCode == 0, rotated.ToString());
        var newSecret = Secret().Match(rotated.Out).Value;
        Assert.StartsWith("whsec_", newSecret, StringComparison.Ordinal);
        Assert.NotEqual(secret, newSecret);
        Assert.Contains("shown this once", rotated.Out, StringComparison.Ordinal);
        Assert.DoesNotMatch(Secret(), listed.Out + shown.Out + test.Out + deliveries.Out + replayed.Out);

        // Disabled, with every event type and no description; a test event is then refused with the server's reason.
        var updated = await TenantryAsync("webhooks", "update", institutionId, webhookId, "--description", "", "--event-type", "all", "--enabled", "false", "--json");
        Assert.True(updated.ExitCode == 0, updated.ToString());
        var changed = JsonDocument.Parse(updated.Out).RootElement;
        Assert.Equal((JsonValueKind.Null, 0, false),
            (changed.GetProperty("description").ValueKind, changed.GetProperty("eventTypes").GetArrayLength(), changed.GetProperty("enabled").GetBoolean()));
        var refused = await TenantryAsync("webhooks", "test", institutionId, webhookId);
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("409", refused.Error, StringComparison.Ordinal);
        AssertNoStackTrace(refused);

        var deleted = await TenantryAsync("webhooks", "delete", institutionId, webhookId, "--json");
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.True(JsonDocument.Parse(deleted.Out).RootElement.GetProperty("deleted").GetBoolean());
        (await app.System.GetAsync(WebhookCalls.Path(workspaceId, "/" + webhookId), owner.AccessToken)).AssertEnvelope(global::System.Net.HttpStatusCode.NotFound, "4040");

        // A URL the server refuses: exit code 2 and the field named, on one line.
        var badUrl = await TenantryAsync("webhooks", "create", institutionId, "not a url");
        Assert.True(badUrl.ExitCode == 2, badUrl.ToString());
        Assert.Contains("$.url", badUrl.Error, StringComparison.OrdinalIgnoreCase);
        AssertNoStackTrace(badUrl);
    }
}
