using FluentValidation;
using Tenantry.Application.Common;
using Tenantry.Application.Roles;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Data;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;
using Tenantry.Domain.Memberships;

namespace Tenantry.Application.Members.TransferOwnership;

/// <summary>
/// An owner hands ownership to another active member: the target becomes Owner and the caller
/// Member, in one transaction under the workspace lock, so the workspace has an owner at every
/// moment and two transfers cannot cross. Whether the caller is still an owner is decided again
/// under the lock. A <c>userBizId</c> that names no member is <see cref="NotFound"/>, as in a path;
/// the caller themselves or an inactive member is a validation error.
/// </summary>
public sealed class TransferOwnershipHandler(TenantryDbContext db, IValidator<TransferOwnershipCommand> validator, TimeProvider clock)
{
    public async Task<Result<MemberView>> HandleAsync(
        WorkspaceStanding standing, TransferOwnershipCommand command, Caller caller, CancellationToken cancellationToken)
    {
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        return await db.InTransactionAsync<Result<MemberView>>(async transaction =>
        {
            await db.LockWorkspaceAsync(standing.WorkspaceId, cancellationToken);
            var owner = await RoleLookup.BuiltInAsync(db, standing.WorkspaceId, BuiltInRole.Owner, cancellationToken);
            var self = await MemberQueries.FindAsync(db, standing.WorkspaceId, caller.UserId, cancellationToken);
            if (self is null || self.RoleId != owner.Id || self.Status != MembershipStatus.Active)
            {
                return new PermissionDenied(WorkspaceAccess.OwnerOnly);
            }
            var target = await MemberQueries.FindAsync(db, standing.WorkspaceId, command.UserBizId, cancellationToken);
            if (target is null)
            {
                // Not a member (unknown or malformed id): not found, as for the member in a path.
                return new NotFound();
            }
            if (target.UserId == caller.UserId || target.Status != MembershipStatus.Active)
            {
                return new ValidationFailed(new FieldError("$.UserBizId", ValidationCodes.NotAnActiveMember));
            }

            var now = clock.GetUtcNow();
            var member = await RoleLookup.BuiltInAsync(db, standing.WorkspaceId, BuiltInRole.Member, cancellationToken);
            var previousTargetRole = target.RoleId;
            target.ChangeRole(owner.Id, now);
            self.ChangeRole(member.Id, now);
            db.AuditEvents.Add(AuditEvent.Record(standing.InstitutionId, standing.WorkspaceId, caller.UserId, AuditActions.OwnershipTransferred,
                AuditTargets.Member, target.UserId, caller.ClientIpText,
                AuditDetails.Of(("fromUserBizId", caller.UserId), ("toUserBizId", target.UserId), ("toPreviousRoleBizId", previousTargetRole)), now));
            await db.SaveChangesAsync(cancellationToken);
            // Read inside the transaction: once it commits, a concurrent leave or removal may take the member away.
            var view = await MemberQueries.OneAsync(db, standing.WorkspaceId, target.UserId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return view;
        }, cancellationToken);
    }
}
