using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Webhooks.Deliveries;

/// <summary>An endpoint's deliveries, newest first (paged): event, attempts, last status, duration, error, next attempt.</summary>
public sealed class ListDeliveriesHandler(TenantryDbContext db)
{
    public async Task<Result<Paged<WebhookDeliveryView>>> HandleAsync(string institutionId, string webhookId, PageRequest page, CancellationToken cancellationToken)
    {
        if (await WebhookQueries.FindAsync(db, institutionId, webhookId, cancellationToken) is null)
        {
            return new NotFound();
        }
        var all = db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == webhookId);
        var total = await all.CountAsync(cancellationToken);
        var items = await all.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Skip(page.Skip).Take(page.PageSize).ToListAsync(cancellationToken);
        return new Paged<WebhookDeliveryView>(items.Select(WebhookDeliveryView.From).ToList(), page, total);
    }
}
