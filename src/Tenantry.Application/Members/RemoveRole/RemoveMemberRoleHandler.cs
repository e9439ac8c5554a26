using Tenantry.Application.Common;
using Tenantry.Application.Members.ChangeRole;
using Tenantry.Application.Roles;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Data;
using Tenantry.Domain.Common;
using Tenantry.Domain.Memberships;

namespace Tenantry.Application.Members.RemoveRole;

/// <summary>
/// Takes a role away from a member (Wacht's "remove role"). A membership holds one role, so taking it away gives the
/// member the workspace's Member role instead, through <see cref="ChangeMemberRoleHandler"/>: the grantor and last-owner
/// rules and the workspace lock are that use case's. The Member role itself cannot be taken away
/// (<see cref="MemberRoleRequired"/>); a role the member does not hold (any more, when decided under the lock) is not found.
/// </summary>
public sealed class RemoveMemberRoleHandler(TenantryDbContext db, ChangeMemberRoleHandler changeRole)
{
    public async Task<Result<MemberView>> HandleAsync(
        WorkspaceStanding standing, string userId, string roleId, Caller caller, CancellationToken cancellationToken)
    {
        var memberRole = await RoleLookup.BuiltInAsync(db, standing.WorkspaceId, BuiltInRole.Member, cancellationToken);
        if (memberRole.Id == roleId)
        {
            return new MemberRoleRequired();
        }
        return await changeRole.HandleAsync(standing, new ChangeMemberRoleCommand(userId, memberRole.Id, FromRoleBizId: roleId), caller, cancellationToken);
    }
}
