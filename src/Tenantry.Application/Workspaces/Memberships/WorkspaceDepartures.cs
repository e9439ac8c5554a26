using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Memberships;

namespace Tenantry.Application.Workspaces.Memberships;

/// <summary>
/// A member leaving workspaces of their own accord (one, or all of an institution's): each
/// leave is audited, then the memberships end as any removal does (<see cref="MembershipRemoval"/>).
/// The caller holds the locks and owns the transaction.
/// </summary>
public static class WorkspaceDepartures
{
    public static Task LeaveAsync(
        TenantryDbContext db, IReadOnlyList<WorkspaceMembership> memberships, Caller caller, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var membership in memberships)
        {
            db.AuditEvents.Add(AuditEvent.Record(membership.InstitutionId, membership.WorkspaceId, caller.UserId, AuditActions.MemberLeft,
                AuditTargets.Member, caller.UserId, caller.ClientIpText, "{}", now));
        }
        return MembershipRemoval.RemoveAsync(db, memberships, now, cancellationToken);
    }
}
