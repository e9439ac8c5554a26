using Tenantry.Application.Common;
using Tenantry.Application.Roles;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Application.Workspaces.Memberships;
using Tenantry.Data;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;
using Tenantry.Domain.Memberships;

namespace Tenantry.Application.Members.Remove;

/// <summary>
/// Removes a member (<c>members.remove</c>). Nobody removes someone whose role is beyond their
/// own; the last owner cannot be removed, also not by concurrent requests (workspace lock).
/// Removing someone from their default workspace moves their default to the next eligible one.
/// </summary>
public sealed class RemoveMemberHandler(TenantryDbContext db, WorkspaceAccess access, TimeProvider clock)
{
    public async Task<Result> HandleAsync(WorkspaceStanding standing, string userId, Caller caller, CancellationToken cancellationToken)
    {
        if (!EntityId.LooksValid(userId, EntityId.User))
        {
            return new NotFound();
        }
        return await db.InTransactionAsync<Result>(async transaction =>
        {
            var recheck = await access.LockAndRecheckAsync(standing, caller, Permissions.MembersRemove, cancellationToken);
            if (!recheck.IsSuccess)
            {
                return recheck.Error;
            }
            standing = recheck.Value;
            await db.LockUserMembershipsAsync(userId, cancellationToken);
            var membership = await MemberQueries.FindAsync(db, standing.WorkspaceId, userId, cancellationToken);
            if (membership is null)
            {
                return new NotFound();
            }
            var role = await RoleLookup.FindAsync(db, standing.WorkspaceId, membership.RoleId, cancellationToken);
            if (!standing.MayGrant(role!))
            {
                return new RoleExceedsGrantor();
            }
            if (await WorkspaceOwners.IsLastOwnerAsync(db, membership, cancellationToken))
            {
                return new LastOwner();
            }

            var now = clock.GetUtcNow();
            db.AuditEvents.Add(AuditEvent.Record(standing.InstitutionId, standing.WorkspaceId, caller.UserId, AuditActions.MemberRemoved,
                AuditTargets.Member, userId, caller.ClientIpText, AuditDetails.Of(("roleBizId", role!.Id), ("roleName", role.Name)), now));
            await MembershipRemoval.RemoveAsync(db, [membership], now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result.Success;
        }, cancellationToken);
    }
}
