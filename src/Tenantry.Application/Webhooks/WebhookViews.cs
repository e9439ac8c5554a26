using Microsoft.EntityFrameworkCore;
using Tenantry.Data;
using Tenantry.Domain.Common;
using Tenantry.Domain.Webhooks;

namespace Tenantry.Application.Webhooks;

/// <summary>
/// A webhook endpoint as its managers see it. <see cref="Secret"/> is set only in the answer that
/// created or rotated it (shown once); the stored secret never leaves the service otherwise.
/// </summary>
public sealed record WebhookEndpointView(
    string WebhookId, string InstitutionId, string Url, string? Description, IReadOnlyList<string> EventTypes, bool Enabled,
    string? DisabledReason, DateTime? DisabledAt, DateTime? PreviousSecretExpiresAt, DateTime? FailingSince, DateTime CreatedAt, DateTime UpdatedAt,
    string? Secret = null)
{
    public static WebhookEndpointView From(WebhookEndpoint e, DateTime now, string? secret = null) =>
        new(e.Id, e.InstitutionId, e.Url, e.Description, e.EventTypes, e.Enabled, e.DisabledReason, e.DisabledAt,
            e.PreviousSecretExpiresAt > now ? e.PreviousSecretExpiresAt : null, e.FailingSince, e.CreatedAt, e.UpdatedAt, secret);
}

/// <summary>One delivery and its last attempt. <see cref="NextAttemptAt"/> is null unless it is pending.</summary>
public sealed record WebhookDeliveryView(
    string DeliveryId, string WebhookId, string EventId, string EventType, WebhookDeliveryStatus Status, int Attempts,
    int? LastStatusCode, int? LastDurationMs, string? LastError, string? LastResponseBody, DateTime? LastAttemptAt, DateTime? NextAttemptAt,
    DateTime? DeliveredAt, DateTime CreatedAt)
{
    public static WebhookDeliveryView From(WebhookDelivery d) =>
        new(d.Id, d.EndpointId, d.EventId, d.EventType, d.Status, d.Attempts, d.LastStatusCode, d.LastDurationMs, d.LastError,
            d.LastResponseBody, d.LastAttemptAt, d.Status == WebhookDeliveryStatus.Pending ? d.NextAttemptAt : null, d.DeliveredAt, d.CreatedAt);
}

/// <summary>Wire codes of <see cref="WebhookDeliveryStatus"/>, the same in every dialect.</summary>
public static class WebhookCodes
{
    public static string Code(WebhookDeliveryStatus status) => status switch
    {
        WebhookDeliveryStatus.Pending => "PENDING",
        WebhookDeliveryStatus.Delivered => "DELIVERED",
        _ => "FAILED",
    };
}

public static class WebhookQueries
{
    /// <summary>The (tracked) endpoint a client named, if it belongs to <paramref name="institutionId"/>; otherwise null, as for an id that does not exist.</summary>
    public static async Task<WebhookEndpoint?> FindAsync(TenantryDbContext db, string institutionId, string? webhookId, CancellationToken cancellationToken) =>
        EntityId.LooksValid(webhookId, EntityId.WebhookEndpoint)
            ? await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == webhookId && e.InstitutionId == institutionId, cancellationToken)
            : null;

    public static Task<bool> InstitutionExistsAsync(TenantryDbContext db, string? institutionId, CancellationToken cancellationToken) =>
        EntityId.LooksValid(institutionId, EntityId.Institution)
            ? db.Institutions.AnyAsync(i => i.Id == institutionId, cancellationToken)
            : Task.FromResult(false);
}
