using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Memberships;

namespace Tenantry.Application.Workspaces.Memberships;

/// <summary>
/// What happens when a member leaves workspaces (one, or all of an organization's): the
/// memberships go, the member counts follow, each leave is audited, and if the default was
/// among them the next eligible membership takes over. The caller holds the locks and
/// owns the transaction.
/// </summary>
public static class WorkspaceDepartures
{
    public static async Task LeaveAsync(
        TenantryDbContext db, IReadOnlyList<WorkspaceMembership> memberships, Caller caller, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var workspaceIds = memberships.Select(m => m.WorkspaceId).ToList();
        var workspaces = await db.Workspaces.Where(w => workspaceIds.Contains(w.Id)).ToDictionaryAsync(w => w.Id, cancellationToken);
        foreach (var membership in memberships)
        {
            db.WorkspaceMemberships.Remove(membership);
            workspaces[membership.WorkspaceId].MemberRemoved();
            db.AuditEvents.Add(AuditEvent.Record(membership.InstitutionId, membership.WorkspaceId, caller.UserId, AuditActions.MemberLeft,
                AuditTargets.Member, caller.UserId, caller.ClientIpText, "{}", now));
        }
        await db.SaveChangesAsync(cancellationToken);
        if (memberships.Any(m => m.IsDefault))
        {
            await DefaultWorkspaces.PromoteSuccessorAsync(db, caller.UserId, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
