using Tenantry.Application.Common;
using Tenantry.Application.Institutions;
using Tenantry.Application.Workspaces.SetDefault;
using Tenantry.Data;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Workspaces.Switch;

/// <summary>
/// Wacht <c>switch-workspace</c>: the active workspace is the SYSTEM default, so this is
/// <see cref="SetDefaultWorkspaceHandler"/> (same eligibility rule, same stored choice), after
/// which the workspace's institution becomes the active one. No id clears both, as Wacht does.
/// </summary>
public sealed class SwitchWorkspaceHandler(SetDefaultWorkspaceHandler setDefault, TenantryDbContext db, TimeProvider clock)
{
    public async Task<Result> HandleAsync(string? workspaceId, Caller caller, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(workspaceId))
        {
            var cleared = await setDefault.ClearAsync(caller, cancellationToken);
            if (!cleared.IsSuccess)
            {
                return cleared;
            }
        }
        else
        {
            var result = await setDefault.HandleAsync(workspaceId, caller, cancellationToken);
            if (!result.IsSuccess)
            {
                return result.Error;
            }
        }

        var now = clock.GetUtcNow();
        return await db.InTransactionAsync<Result>(async transaction =>
        {
            await db.LockUserMembershipsAsync(caller.UserId, cancellationToken);
            if (string.IsNullOrEmpty(workspaceId))
            {
                await ActiveInstitutions.ClearAsync(db, caller.UserId, now, cancellationToken);
            }
            else
            {
                await ActiveInstitutions.FollowDefaultWorkspaceAsync(db, caller.UserId, now, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            return Result.Success;
        }, cancellationToken);
    }
}
