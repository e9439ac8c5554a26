using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Invitations;
using Tenantry.Application.Members;
using Tenantry.Application.Outbox;
using Tenantry.Application.Roles;
using Tenantry.Application.Webhooks.Delivery;
using Tenantry.Application.Workspaces;
using Tenantry.Data;
using Tenantry.Data.Outbox;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Webhooks;

namespace Tenantry.Application.Webhooks.Events;

/// <summary>
/// Expands one <c>webhook.event</c> outbox message into one delivery per enabled endpoint of
/// the event's institution that subscribes to its type. Idempotent: endpoints that already have
/// a delivery of the event are skipped, and the unique (event, endpoint) index settles a race,
/// so running it again after a crash adds nothing twice. The body is rendered once, here.
/// </summary>
public sealed class WebhookEventExpander(TenantryDbContext db, IWebhookEventRenderer renderer, WebhookSignal signal, TimeProvider clock) : IOutboxDeliverer
{
    public string Kind => OutboxKinds.WebhookEvent;

    public async Task<DeliveryOutcome> DeliverAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var queued = OutboxWriter.Read<WebhookEventMessage>(message);
        var auditEvent = await db.AuditEvents.AsNoTracking().FirstOrDefaultAsync(e => e.Id == queued.AuditEventId, cancellationToken);
        if (auditEvent is null || WebhookEventTypes.ForAuditAction(auditEvent.Action) is not { } type)
        {
            return DeliveryOutcome.Obsolete;
        }
        // An endpoint gets the events that happened once it existed, not the ones before.
        var endpoints = (await db.WebhookEndpoints.AsNoTracking()
                .Where(e => e.InstitutionId == auditEvent.InstitutionId && e.Enabled && e.CreatedAt <= auditEvent.CreatedAt)
                .ToListAsync(cancellationToken))
            .Where(e => WebhookEventTypes.Receives(e.EventTypes, type))
            .ToList();
        if (endpoints.Count == 0)
        {
            return DeliveryOutcome.Sent;
        }
        var ids = endpoints.Select(e => e.Id).ToList();
        var done = await db.WebhookDeliveries.Where(d => d.EventId == auditEvent.Id && ids.Contains(d.EndpointId))
            .Select(d => d.EndpointId).ToListAsync(cancellationToken);
        var missing = endpoints.Where(e => !done.Contains(e.Id)).ToList();
        if (missing.Count == 0)
        {
            return DeliveryOutcome.Sent;
        }

        var payload = renderer.Render(await GatherAsync(auditEvent, type, cancellationToken));
        var now = clock.GetUtcNow();
        foreach (var endpoint in missing)
        {
            db.WebhookDeliveries.Add(WebhookDelivery.Create(endpoint, auditEvent.Id, type, auditEvent.CreatedAt, queued.Ordinal, payload, now));
        }
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        signal.Notify();
        return DeliveryOutcome.Sent;
    }

    /// <summary>The event's ids and details, and the resources it names as they are now.</summary>
    private async Task<WebhookEventData> GatherAsync(AuditEvent e, string type, CancellationToken cancellationToken)
    {
        var workspace = e.WorkspaceId is null
            ? null
            : await db.Workspaces.AsNoTracking().Where(w => w.Id == e.WorkspaceId).FirstOrDefaultAsync(cancellationToken);
        MemberView? member = null;
        RoleView? role = null;
        InvitationView? invitation = null;
        switch (e.TargetType)
        {
            case AuditTargets.Member when e.WorkspaceId is not null && e.TargetId is not null:
                member = await MemberQueries.Members(db, e.WorkspaceId, e.TargetId).FirstOrDefaultAsync(cancellationToken);
                break;
            case AuditTargets.Role when e.TargetId is not null:
                var stored = await db.WorkspaceRoles.AsNoTracking().FirstOrDefaultAsync(r => r.Id == e.TargetId, cancellationToken);
                role = stored is null ? null : RoleView.From(stored);
                break;
            case AuditTargets.Invitation when e.TargetId is not null:
                invitation = await InvitationQueries.OneAsync(db, e.InstitutionId, e.TargetId, cancellationToken);
                break;
        }
        return new WebhookEventData(type, e.CreatedAt, e.Id, e.InstitutionId, e.WorkspaceId, e.ActorUserId, e.TargetType, e.TargetId, e.Details,
            workspace is null ? null : WorkspaceDetail.From(workspace), member, role, invitation);
    }
}
