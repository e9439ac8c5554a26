using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Webhooks.List;

/// <summary>An institution's endpoints, oldest first (paged), and one endpoint.</summary>
public sealed class ListWebhooksHandler(TenantryDbContext db, TimeProvider clock)
{
    public async Task<Result<Paged<WebhookEndpointView>>> HandleAsync(string institutionId, PageRequest page, CancellationToken cancellationToken)
    {
        if (!await WebhookQueries.InstitutionExistsAsync(db, institutionId, cancellationToken))
        {
            return new NotFound();
        }
        var all = db.WebhookEndpoints.AsNoTracking().Where(e => e.InstitutionId == institutionId);
        var total = await all.CountAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var items = await all.OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).Skip(page.Skip).Take(page.PageSize).ToListAsync(cancellationToken);
        return new Paged<WebhookEndpointView>(items.Select(e => WebhookEndpointView.From(e, now)).ToList(), page, total);
    }

    public async Task<Result<WebhookEndpointView>> OneAsync(string institutionId, string webhookId, CancellationToken cancellationToken) =>
        await WebhookQueries.FindAsync(db, institutionId, webhookId, cancellationToken) is { } endpoint
            ? WebhookEndpointView.From(endpoint, clock.GetUtcNow().UtcDateTime)
            : new NotFound();
}
