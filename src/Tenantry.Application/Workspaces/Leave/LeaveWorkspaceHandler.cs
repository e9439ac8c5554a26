using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Application.Workspaces.Memberships;
using Tenantry.Data;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Workspaces.Leave;

/// <summary>
/// The caller leaves a workspace (SYSTEM <c>.../leave</c>, Wacht <c>POST /workspaces/{id}/leave</c>).
/// The last owner cannot leave (<see cref="LastOwner"/>), also when two owners try at once:
/// the workspace lock makes the second wait and then see that it would be the last.
/// Leaving the default workspace hands the default to the next eligible one.
/// </summary>
public sealed class LeaveWorkspaceHandler(TenantryDbContext db, TimeProvider clock)
{
    public async Task<Result> HandleAsync(string workspaceId, Caller caller, CancellationToken cancellationToken)
    {
        if (!EntityId.LooksValid(workspaceId, EntityId.Workspace))
        {
            return new NotAMember();
        }
        return await db.InTransactionAsync<Result>(async transaction =>
        {
            if (!await db.LockWorkspaceAsync(workspaceId, cancellationToken))
            {
                return new NotAMember();
            }
            await db.LockUserMembershipsAsync(caller.UserId, cancellationToken);
            var membership = await db.WorkspaceMemberships.FirstOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == caller.UserId, cancellationToken);
            if (membership is null)
            {
                return new NotAMember();
            }
            if (await WorkspaceOwners.IsLastOwnerAsync(db, membership, cancellationToken))
            {
                return new LastOwner();
            }

            await WorkspaceDepartures.LeaveAsync(db, [membership], caller, clock.GetUtcNow(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result.Success;
        }, cancellationToken);
    }
}
