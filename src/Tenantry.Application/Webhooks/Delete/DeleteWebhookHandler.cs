using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Webhooks.Delete;

/// <summary>Deletes an endpoint and its deliveries; an attempt already in flight may still arrive.</summary>
public sealed class DeleteWebhookHandler(TenantryDbContext db, TimeProvider clock)
{
    public async Task<Result> HandleAsync(string institutionId, string webhookId, WebhookChangeAuthor author, CancellationToken cancellationToken)
    {
        var endpoint = await WebhookQueries.FindAsync(db, institutionId, webhookId, cancellationToken);
        if (endpoint is null)
        {
            return new NotFound();
        }
        db.WebhookEndpoints.Remove(endpoint);
        db.AuditEvents.Add(author.Record(endpoint, AuditActions.WebhookEndpointDeleted, AuditDetails.Of(("url", endpoint.Url)), clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success;
    }
}
