using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Data;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;
using Tenantry.Domain.Memberships;

namespace Tenantry.Application.Roles.Delete;

/// <summary>
/// Deletes a custom role (<c>roles.manage</c>) that no member holds; otherwise
/// <see cref="RoleInUse"/>. Under the workspace lock, which role changes and invitation
/// accepts also take, so no one can be given the role while it is being deleted. Invitations
/// that offered the role go with it (pending ones can no longer be accepted).
/// </summary>
public sealed class DeleteRoleHandler(TenantryDbContext db, WorkspaceAccess access, TimeProvider clock)
{
    public async Task<Result> HandleAsync(WorkspaceStanding standing, string roleId, Caller caller, CancellationToken cancellationToken)
    {
        return await db.InTransactionAsync<Result>(async transaction =>
        {
            var recheck = await access.LockAndRecheckAsync(standing, caller, Permissions.RolesManage, cancellationToken);
            if (!recheck.IsSuccess)
            {
                return recheck.Error;
            }
            standing = recheck.Value;
            var role = await RoleLookup.FindAsync(db, standing.WorkspaceId, roleId, cancellationToken);
            if (role is null)
            {
                return new NotFound();
            }
            if (role.BuiltIn is not null)
            {
                return new BuiltInRoleImmutable();
            }
            if (!standing.MayGrant(role))
            {
                return new RoleExceedsGrantor();
            }
            var holders = await db.WorkspaceMemberships.CountAsync(m => m.WorkspaceId == standing.WorkspaceId && m.RoleId == role.Id, cancellationToken);
            if (holders > 0)
            {
                return new RoleInUse(holders);
            }

            var now = clock.GetUtcNow();
            db.WorkspaceRoles.Remove(role);
            db.AuditEvents.Add(AuditEvent.Record(standing.InstitutionId, standing.WorkspaceId, caller.UserId, AuditActions.RoleDeleted,
                AuditTargets.Role, role.Id, caller.ClientIpText, AuditDetails.Of(("name", role.Name)), now));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result.Success;
        }, cancellationToken);
    }
}
