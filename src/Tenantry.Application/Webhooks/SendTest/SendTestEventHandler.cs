using Tenantry.Application.Webhooks.Delivery;
using Tenantry.Application.Webhooks.Events;
using Tenantry.Data;
using Tenantry.Domain.Common;
using Tenantry.Domain.Webhooks;

namespace Tenantry.Application.Webhooks.SendTest;

/// <summary>
/// Queues a <c>webhook.test</c> event to one endpoint, whatever it subscribes to, through the same
/// queue, signing and retries as real events; answers the delivery so its outcome can be followed.
/// </summary>
public sealed class SendTestEventHandler(TenantryDbContext db, IWebhookEventRenderer renderer, WebhookSignal signal, TimeProvider clock)
{
    public async Task<Result<WebhookDeliveryView>> HandleAsync(string institutionId, string webhookId, CancellationToken cancellationToken)
    {
        var endpoint = await WebhookQueries.FindAsync(db, institutionId, webhookId, cancellationToken);
        if (endpoint is null)
        {
            return new NotFound();
        }
        if (!endpoint.Enabled)
        {
            return new WebhookEndpointDisabled();
        }
        var now = clock.GetUtcNow();
        var eventId = EntityId.New(EntityId.AuditEvent, now);
        var payload = renderer.Render(new WebhookEventData(WebhookEventTypes.Test, now.UtcDateTime, eventId, institutionId, null, null,
            "webhook", endpoint.Id, "{}", null, null, null, null));
        var delivery = WebhookDelivery.Create(endpoint, eventId, WebhookEventTypes.Test, now.UtcDateTime, 0, payload, now);
        db.WebhookDeliveries.Add(delivery);
        endpoint.Resume();
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
        return WebhookDeliveryView.From(delivery);
    }
}
