using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Audit.List;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Audit;

namespace Tenantry.Application.Operator.Audit;

/// <summary>An audit event as the operator sees it: with the institution and workspace it is filed under.</summary>
public sealed record OperatorAuditEventView(string? InstitutionId, string? WorkspaceId, AuditEventView Event);

/// <summary>Which events: of one institution, workspace, action or actor; only those after an event id (to follow the trail).</summary>
public sealed record OperatorAuditFilter(string? InstitutionId, string? WorkspaceId, string? Action, string? ActorUserId, string? After);

/// <summary>
/// <c>GET /admin/v1/audit-events</c>: every institution's trail and the directory's (accounts,
/// signing keys), newest first. Ids are time-ordered, so <c>after</c> (an event id) gives the
/// events written since that one: what <c>tenantry audit tail --follow</c> polls with.
/// </summary>
public sealed class ListOperatorAuditHandler(TenantryDbContext db)
{
    public async Task<Paged<OperatorAuditEventView>> HandleAsync(OperatorAuditFilter filter, PageRequest page, CancellationToken cancellationToken)
    {
        var events = db.AuditEvents.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.InstitutionId))
        {
            events = events.Where(e => e.InstitutionId == filter.InstitutionId);
        }
        if (!string.IsNullOrWhiteSpace(filter.WorkspaceId))
        {
            events = events.Where(e => e.WorkspaceId == filter.WorkspaceId);
        }
        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            events = events.Where(e => e.Action == filter.Action);
        }
        if (!string.IsNullOrWhiteSpace(filter.ActorUserId))
        {
            events = events.Where(e => e.ActorUserId == filter.ActorUserId);
        }
        if (!string.IsNullOrWhiteSpace(filter.After))
        {
            var after = filter.After;
            events = events.Where(e => string.Compare(e.Id, after) > 0);
        }
        var total = await events.CountAsync(cancellationToken);
        var items = await events
            .OrderByDescending(e => e.Id)
            .Skip(page.Skip).Take(page.PageSize)
            .Select(e => new OperatorAuditEventView(
                e.InstitutionId == AuditScopes.Directory ? null : e.InstitutionId,
                e.WorkspaceId,
                new AuditEventView(e.Id, e.Action, e.ActorUserId, e.TargetType, e.TargetId, e.ClientIp, e.Details, e.CreatedAt)))
            .ToListAsync(cancellationToken);
        return new Paged<OperatorAuditEventView>(items, page, total);
    }
}
