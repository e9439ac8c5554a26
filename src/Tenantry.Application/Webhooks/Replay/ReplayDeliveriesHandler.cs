using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Application.Webhooks.Delivery;
using Tenantry.Data;
using Tenantry.Domain.Common;
using Tenantry.Domain.Webhooks;

namespace Tenantry.Application.Webhooks.Replay;

/// <summary>How many failed deliveries were queued again.</summary>
public sealed record ReplayedDeliveries(int Replayed);

/// <summary>
/// Queues deliveries again, now, with their original <c>webhook-id</c> and body (receivers that
/// already processed one recognise it): one delivery whatever its status, or every failed
/// delivery of the endpoint created since a time. The endpoint must be enabled.
/// </summary>
public sealed class ReplayDeliveriesHandler(TenantryDbContext db, WebhookSignal signal, TimeProvider clock)
{
    public async Task<Result<WebhookDeliveryView>> OneAsync(string institutionId, string webhookId, string deliveryId, CancellationToken cancellationToken)
    {
        var endpoint = await WebhookQueries.FindAsync(db, institutionId, webhookId, cancellationToken);
        if (endpoint is null || !EntityId.LooksValid(deliveryId, EntityId.WebhookDelivery))
        {
            return new NotFound();
        }
        var delivery = await db.WebhookDeliveries.FirstOrDefaultAsync(d => d.Id == deliveryId && d.EndpointId == endpoint.Id, cancellationToken);
        if (delivery is null)
        {
            return new NotFound();
        }
        if (!endpoint.Enabled)
        {
            return new WebhookEndpointDisabled();
        }
        var now = clock.GetUtcNow();
        delivery.Replay(now);
        endpoint.Resume();
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
        return WebhookDeliveryView.From(delivery);
    }

    public async Task<Result<ReplayedDeliveries>> FailedSinceAsync(string institutionId, string webhookId, DateTime? since, CancellationToken cancellationToken)
    {
        var endpoint = await WebhookQueries.FindAsync(db, institutionId, webhookId, cancellationToken);
        if (endpoint is null)
        {
            return new NotFound();
        }
        if (since is null)
        {
            return new ValidationFailed(new FieldError("$.Since", ValidationCodes.Required));
        }
        if (!endpoint.Enabled)
        {
            return new WebhookEndpointDisabled();
        }
        var from = since.Value.Kind == DateTimeKind.Utc ? since.Value : since.Value.ToUniversalTime();
        var at = clock.GetUtcNow().UtcDateTime;
        var replayed = await db.WebhookDeliveries
            .Where(d => d.EndpointId == endpoint.Id && d.Status == WebhookDeliveryStatus.Failed && d.CreatedAt >= from)
            .ExecuteUpdateAsync(d => d
                .SetProperty(x => x.Status, WebhookDeliveryStatus.Pending)
                .SetProperty(x => x.NextAttemptAt, at)
                .SetProperty(x => x.ScheduledAt, at), cancellationToken);
        endpoint.Resume();
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
        return new ReplayedDeliveries(replayed);
    }
}
