using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;

namespace Tenantry.Application.Audit.List;

public sealed record AuditEventView(
    string EventId, string Action, string? ActorUserId, string? TargetType, string? TargetId, string? ClientIp, string Details, DateTime CreatedAt);

/// <summary>Which events of a trail to list: an exact action, an actor's user id, a time range (UTC, from inclusive, to exclusive).</summary>
public sealed record AuditFilter(string? Action = null, string? ActorUserId = null, DateTime? From = null, DateTime? To = null)
{
    public static readonly AuditFilter None = new();
}

/// <summary>A page of a workspace's audit trail (<c>audit.read</c>), newest first.</summary>
public sealed class ListAuditEventsHandler(TenantryDbContext db)
{
    public Task<Paged<AuditEventView>> HandleAsync(string workspaceId, PageRequest page, CancellationToken cancellationToken) =>
        HandleAsync(workspaceId, page, AuditFilter.None, cancellationToken);

    public async Task<Paged<AuditEventView>> HandleAsync(string workspaceId, PageRequest page, AuditFilter filter, CancellationToken cancellationToken)
    {
        var events = db.AuditEvents.Where(e => e.WorkspaceId == workspaceId);
        if (filter.Action is { Length: > 0 } action)
        {
            events = events.Where(e => e.Action == action);
        }
        if (filter.ActorUserId is { Length: > 0 } actor)
        {
            events = events.Where(e => e.ActorUserId == actor);
        }
        if (filter.From is { } from)
        {
            events = events.Where(e => e.CreatedAt >= from);
        }
        if (filter.To is { } to)
        {
            events = events.Where(e => e.CreatedAt < to);
        }
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
