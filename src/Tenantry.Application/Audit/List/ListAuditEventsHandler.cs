using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;

namespace Tenantry.Application.Audit.List;

public sealed record AuditEventView(
    string EventId, string Action, string? ActorUserId, string? TargetType, string? TargetId, string? ClientIp, string Details, DateTime CreatedAt);

/// <summary>A page of a workspace's audit trail (<c>audit.read</c>), newest first.</summary>
public sealed class ListAuditEventsHandler(TenantryDbContext db)
{
    public async Task<Paged<AuditEventView>> HandleAsync(string workspaceId, PageRequest page, CancellationToken cancellationToken)
    {
        var events = db.AuditEvents.Where(e => e.WorkspaceId == workspaceId);
        var total = await events.CountAsync(cancellationToken);
        // Ids are time-ordered, so they break ties between events of the same millisecond.
        var items = await events
            .OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id)
            .Skip(page.Skip).Take(page.PageSize)
            .Select(e => new AuditEventView(e.Id, e.Action, e.ActorUserId, e.TargetType, e.TargetId, e.ClientIp, e.Details, e.CreatedAt))
            .ToListAsync(cancellationToken);
        return new Paged<AuditEventView>(items, page, total);
    }
}
