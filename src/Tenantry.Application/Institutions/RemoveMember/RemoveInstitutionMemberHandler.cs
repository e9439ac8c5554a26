using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Application.Institutions.Leave;
using Tenantry.Application.Workspaces.Memberships;
using Tenantry.Data;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Memberships;

namespace Tenantry.Application.Institutions.RemoveMember;

/// <summary>
/// Someone who runs the institution removes a member from it (Wacht's <c>.../members/{id}/remove</c>), and with it from
/// every one of its workspaces, in one transaction: an Admin not an Owner (<see cref="InstitutionRoles.MayRemove"/>, so the
/// last Owner stays), nobody the last owner of one of its workspaces
/// (<see cref="LastOwnerOfWorkspace"/>, naming it: that workspace's ownership moves first). Removing yourself is leaving,
/// with leaving's rules and record (<see cref="LeaveInstitutionHandler"/>), which any member may do. The removed user's
/// default workspace and active institution move as on leaving. Locks: the institution, the workspaces, the user.
/// </summary>
public sealed class RemoveInstitutionMemberHandler(TenantryDbContext db, LeaveInstitutionHandler leave, TimeProvider clock)
{
    public async Task<Result> HandleAsync(string institutionId, string membershipId, Caller caller, CancellationToken cancellationToken)
    {
        if (!EntityId.LooksValid(institutionId, EntityId.Institution) || !EntityId.LooksValid(membershipId, EntityId.InstitutionMembership))
        {
            return new NotFound();
        }
        var userId = await db.InstitutionMemberships.AsNoTracking()
            .Where(m => m.Id == membershipId && m.InstitutionId == institutionId)
            .Select(m => m.UserId)
            .FirstOrDefaultAsync(cancellationToken);
        if (userId == caller.UserId)
        {
            // Leaving answers 400 to a non-member (Wacht's switches do); here the membership was the caller's a moment ago.
            var left = await leave.HandleAsync(institutionId, caller, cancellationToken);
            if (left.Error is NotAnInstitutionMember)
            {
                return new NotFound();
            }
            return left;
        }

        return await db.InTransactionAsync<Result>(async transaction =>
        {
            var standing = await InstitutionStandings.LockForManagerAsync(db, institutionId, caller, cancellationToken);
            if (!standing.IsSuccess)
            {
                return standing.Error;
            }
            if (userId is null)
            {
                return new NotFound();
            }
            var workspaceMemberships = await InstitutionDepartures.LockAsync(db, institutionId, userId, cancellationToken);
            var member = await db.InstitutionMemberships.FirstOrDefaultAsync(m => m.Id == membershipId && m.InstitutionId == institutionId, cancellationToken);
            if (member is null)
            {
                return new NotFound();
            }
            // The last owner is never removed by someone else: only an Owner removes an Owner, and that is a second one.
            if (InstitutionRoles.MayRemove(standing.Value.Role, member.Role) is { } refused)
            {
                return refused;
            }
            if (await InstitutionDepartures.WorkspaceLeftWithoutOwnerAsync(db, workspaceMemberships, cancellationToken) is { } workspaceName)
            {
                return new LastOwnerOfWorkspace(workspaceName);
            }

            var now = clock.GetUtcNow();
            await InstitutionDepartures.EndAsync(db, member, cancellationToken);
            db.AuditEvents.Add(AuditEvent.Record(institutionId, null, caller.UserId, AuditActions.InstitutionMemberRemoved,
                AuditTargets.Member, userId, caller.ClientIpText, AuditDetails.Of(("role", member.Role.ToString())), now));
            // Each workspace records the removal as its own member route does, so its webhooks and audit trail see it.
            var roles = await RoleNamesAsync(workspaceMemberships, cancellationToken);
            foreach (var membership in workspaceMemberships)
            {
                db.AuditEvents.Add(AuditEvent.Record(institutionId, membership.WorkspaceId, caller.UserId, AuditActions.MemberRemoved,
                    AuditTargets.Member, userId, caller.ClientIpText, AuditDetails.Of(("roleBizId", membership.RoleId), ("roleName", roles[membership.RoleId])), now));
            }
            await MembershipRemoval.RemoveAsync(db, workspaceMemberships, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result.Success;
        }, cancellationToken);
    }

    private async Task<Dictionary<string, string>> RoleNamesAsync(IReadOnlyList<WorkspaceMembership> memberships, CancellationToken cancellationToken)
    {
        var roleIds = memberships.Select(m => m.RoleId).Distinct().ToList();
        return await db.WorkspaceRoles.AsNoTracking().Where(r => roleIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Name, cancellationToken);
    }
}
