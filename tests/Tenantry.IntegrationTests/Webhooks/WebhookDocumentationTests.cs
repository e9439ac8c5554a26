using System.Text.Json;
using Tenantry.Domain.Webhooks;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Webhooks;

/// <summary>The OpenAPI document describes every delivery: its <c>webhooks</c> section has each event type with the headers, the payload schema and an example.</summary>
public sealed class WebhookDocumentationTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    [Fact]
    public async Task The_openapi_document_lists_every_event_type_with_the_signature_headers_and_an_example()
    {
        var document = JsonDocument.Parse(await app.CreateHttpClient().GetStringAsync("/openapi/v1.json")).RootElement;

        var webhooks = document.GetProperty("webhooks");
        var types = WebhookEventTypes.All.Append(WebhookEventTypes.Test).ToList();
        Assert.Equal(types.Order(), webhooks.EnumerateObject().Select(w => w.Name).Order());
        foreach (var type in types)
        {
            var post = webhooks.GetProperty(type).GetProperty("post");
            Assert.False(string.IsNullOrWhiteSpace(post.GetProperty("summary").GetString()), type);
            Assert.Equal(["webhook-id", "webhook-timestamp", "webhook-signature"],
                post.GetProperty("parameters").EnumerateArray().Where(p => p.GetProperty("in").GetString() == "header").Select(p => p.GetProperty("name").GetString()));
            var json = post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json");
            Assert.Equal("#/components/schemas/SystemWebhookPayload", json.GetProperty("schema").GetProperty("$ref").GetString());
            var example = json.GetProperty("example");
            Assert.Equal(type, example.GetProperty("type").GetString());
            Assert.Equal(["type", "timestamp", "data"], example.EnumerateObject().Select(p => p.Name));
            Assert.StartsWith("evt_", example.GetProperty("data").GetProperty("eventBizId").GetString(), StringComparison.Ordinal);
        }
        var payload = document.GetProperty("components").GetProperty("schemas").GetProperty("SystemWebhookPayload").GetProperty("properties");
        Assert.Equal(["type", "timestamp", "data"], payload.EnumerateObject().Select(p => p.Name));
        // The management routes are described too: the SYSTEM ones here, the operator's in the operator document.
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Contains("/web/v1/workspaces/{workspaceId}/webhooks/{webhookBizId}/rotate-secret", paths);
        var operatorDocument = JsonDocument.Parse(await app.CreateHttpClient().GetStringAsync("/openapi/admin.json")).RootElement;
        Assert.Contains("/admin/v1/institutions/{institutionBizId}/webhooks/{webhookBizId}/deliveries/{deliveryId}/replay",
            operatorDocument.GetProperty("paths").EnumerateObject().Select(p => p.Name));
    }
}
