using Tenantry.Data;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Webhooks.Delete;

/// <summary>Deletes an endpoint and its deliveries; an attempt already in flight may still arrive.</summary>
public sealed class DeleteWebhookHandler(TenantryDbContext db)
{
    public async Task<Result> HandleAsync(string institutionId, string webhookId, CancellationToken cancellationToken)
    {
        var endpoint = await WebhookQueries.FindAsync(db, institutionId, webhookId, cancellationToken);
        if (endpoint is null)
        {
            return new NotFound();
        }
        db.WebhookEndpoints.Remove(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success;
    }
}
