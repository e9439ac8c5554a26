using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Application.Workspaces.ListMine;
using Tenantry.Application.Workspaces.Memberships;
using Tenantry.Data;
using Tenantry.Data.Providers;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Application.Workspaces.SetDefault;

/// <summary>
/// Sets (or clears) the caller's default workspace: SYSTEM <c>.../default</c> and Wacht
/// <c>switch-workspace</c> are this one use case, so a switch in one dialect shows in the other.
/// Only a default-eligible membership (workspace active, membership active) can be the default,
/// and that is decided before "already the default", so both dialects refuse an ineligible one.
/// </summary>
public sealed class SetDefaultWorkspaceHandler(TenantryDbContext db, TimeProvider clock)
{
    private const int Attempts = 3;

    public async Task<Result<MyWorkspace>> HandleAsync(string workspaceId, Caller caller, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await SetAsync(workspaceId, caller, cancellationToken);
                if (!result.IsSuccess)
                {
                    return result.Error;
                }
                // Null when a concurrent leave took the membership away after the default was set.
                return await MyWorkspaceRows.GetItemAsync(db, caller, workspaceId, cancellationToken) is { } item ? item : new NotAMember();
            }
            catch (DbUpdateException e) when (attempt < Attempts && DatabaseErrors.IsUniqueViolation(e, UniqueKeys.DefaultWorkspace))
            {
                // A path that does not take the user's lock set a default in between; decide again.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>The user has no default afterwards (Wacht: switching to an empty workspace id).</summary>
    public async Task<Result> ClearAsync(Caller caller, CancellationToken cancellationToken)
    {
        return await db.InTransactionAsync<Result>(async transaction =>
        {
            await db.LockUserMembershipsAsync(caller.UserId, cancellationToken);
            await DefaultWorkspaces.ClearAsync(db, caller.UserId, clock.GetUtcNow(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result.Success;
        }, cancellationToken);
    }

    private async Task<Result> SetAsync(string workspaceId, Caller caller, CancellationToken cancellationToken)
    {
        var membership = EntityId.LooksValid(workspaceId, EntityId.Workspace)
            ? await db.WorkspaceMemberships.FirstOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == caller.UserId, cancellationToken)
            : null;
        if (membership is null)
        {
            return new NotAMember();
        }
        // Eligibility first: a default that was suspended or deactivated since it was chosen stays
        // the default (suspension does not move it), but choosing it again is refused like any other.
        var workspaceStatus = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.Status).FirstAsync(cancellationToken);
        if (workspaceStatus != WorkspaceStatus.Active || membership.Status != MembershipStatus.Active)
        {
            return new NotDefaultEligible();
        }
        if (membership.IsDefault)
        {
            return Result.Success;
        }

        var now = clock.GetUtcNow();
        return await db.InTransactionAsync<Result>(async transaction =>
        {
            await db.LockUserMembershipsAsync(caller.UserId, cancellationToken);
            // Read again under the lock (and on a second run, into a fresh change tracker).
            var current = await db.WorkspaceMemberships.FirstOrDefaultAsync(m => m.Id == membership.Id, cancellationToken);
            if (current is null)
            {
                return new NotAMember();
            }
            await DefaultWorkspaces.MakeDefaultAsync(db, current, now, cancellationToken);
            db.AuditEvents.Add(AuditEvent.Record(membership.InstitutionId, workspaceId, caller.UserId, AuditActions.DefaultChanged,
                AuditTargets.Member, caller.UserId, caller.ClientIpText, "{}", now));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result.Success;
        }, cancellationToken);
    }
}
