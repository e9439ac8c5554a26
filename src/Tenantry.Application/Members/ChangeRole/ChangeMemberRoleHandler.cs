using FluentValidation;
using Tenantry.Application.Common;
using Tenantry.Application.Roles;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Application.Workspaces.Memberships;
using Tenantry.Data;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;
using Tenantry.Domain.Memberships;

namespace Tenantry.Application.Members.ChangeRole;

/// <summary>
/// Gives a member another role (<c>members.role.change</c>). The caller may neither give
/// nor take away a role beyond their own (<see cref="RoleExceedsGrantor"/>); demoting the
/// last owner answers <see cref="LastOwner"/>, decided under the workspace lock so that
/// concurrent demotions cannot leave the workspace without one. A <c>userBizId</c> that names no
/// member is <see cref="NotFound"/>, as in a path; a missing one or an unknown role is a validation error.
/// </summary>
public sealed class ChangeMemberRoleHandler(
    TenantryDbContext db, WorkspaceAccess access, IValidator<ChangeMemberRoleCommand> validator, TimeProvider clock)
{
    public async Task<Result<MemberView>> HandleAsync(
        WorkspaceStanding standing, ChangeMemberRoleCommand command, Caller caller, CancellationToken cancellationToken)
    {
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        return await db.InTransactionAsync<Result<MemberView>>(async transaction =>
        {
            var recheck = await access.LockAndRecheckAsync(standing, caller, Permissions.MembersRoleChange, cancellationToken);
            if (!recheck.IsSuccess)
            {
                return recheck.Error;
            }
            standing = recheck.Value;
            var membership = await MemberQueries.FindAsync(db, standing.WorkspaceId, command.UserBizId, cancellationToken);
            if (membership is null || command.FromRoleBizId is not null && membership.RoleId != command.FromRoleBizId)
            {
                // Not a member (unknown or malformed id), or no longer in the role the change is from: not found, as for the member in a path.
                return new NotFound();
            }
            var role = await RoleLookup.FindAsync(db, standing.WorkspaceId, command.RoleBizId, cancellationToken);
            if (role is null)
            {
                return new ValidationFailed(new FieldError("$.RoleBizId", ValidationCodes.InvalidId));
            }
            if (membership.RoleId == role.Id)
            {
                return await MemberQueries.OneAsync(db, standing.WorkspaceId, membership.UserId, cancellationToken);
            }
            var current = await RoleLookup.FindAsync(db, standing.WorkspaceId, membership.RoleId, cancellationToken);
            if (!standing.MayGrant(current!) || !standing.MayGrant(role))
            {
                return new RoleExceedsGrantor();
            }
            if (!role.IsOwner && await WorkspaceOwners.IsLastOwnerAsync(db, membership, cancellationToken))
            {
                return new LastOwner();
            }

            var now = clock.GetUtcNow();
            membership.ChangeRole(role.Id, now);
            db.AuditEvents.Add(AuditEvent.Record(standing.InstitutionId, standing.WorkspaceId, caller.UserId, AuditActions.MemberRoleChanged,
                AuditTargets.Member, membership.UserId, caller.ClientIpText,
                AuditDetails.Of(("fromRoleBizId", current!.Id), ("fromRoleName", current.Name), ("toRoleBizId", role.Id), ("toRoleName", role.Name)), now));
            await db.SaveChangesAsync(cancellationToken);
            // Read inside the transaction: once it commits, a concurrent leave or removal may take the member away.
            var view = await MemberQueries.OneAsync(db, standing.WorkspaceId, membership.UserId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return view;
        }, cancellationToken);
    }
}
