using Microsoft.Extensions.Options;
using Tenantry.Data;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Webhooks.RotateSecret;

/// <summary>
/// A new signing secret, shown in this answer only. The previous one keeps being signed with
/// (a second <c>v1,</c> signature) for <c>Tenantry:Webhooks:SecretOverlap</c>, so receivers can switch without losing a delivery.
/// </summary>
public sealed class RotateWebhookSecretHandler(TenantryDbContext db, WebhookSecrets secrets, TimeProvider clock, IOptions<WebhookOptions> options)
{
    public async Task<Result<WebhookEndpointView>> HandleAsync(string institutionId, string webhookId, CancellationToken cancellationToken)
    {
        var endpoint = await WebhookQueries.FindAsync(db, institutionId, webhookId, cancellationToken);
        if (endpoint is null)
        {
            return new NotFound();
        }
        var now = clock.GetUtcNow();
        var (shown, stored) = secrets.Create();
        endpoint.RotateSecret(stored, options.Value.SecretOverlap, now);
        await db.SaveChangesAsync(cancellationToken);
        return WebhookEndpointView.From(endpoint, now.UtcDateTime, shown);
    }
}
