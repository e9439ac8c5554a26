using Microsoft.EntityFrameworkCore;
using Tenantry.Data;
using Tenantry.Data.Changes;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Application.Workspaces.Memberships;

/// <summary>
/// The rules of the default workspace (SYSTEM <c>isDefault</c>, the Wacht active workspace):
/// at most one per user, held by a partial unique index; when the default membership goes
/// away, the next eligible one takes over.
/// </summary>
public static class DefaultWorkspaces
{
    /// <summary>
    /// After the user's default membership was removed: the oldest remaining membership that
    /// is default-eligible (workspace active, membership active) becomes the default, or the
    /// user has none. Suspension and deactivation do not call this; they leave the default where it is.
    /// </summary>
    public static async Task PromoteSuccessorAsync(TenantryDbContext db, string userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var successor = await (
                from m in db.WorkspaceMemberships
                where m.UserId == userId && m.Status == MembershipStatus.Active
                join w in db.Workspaces on m.WorkspaceId equals w.Id
                where w.Status == WorkspaceStatus.Active
                orderby m.CreatedAt, m.Id
                select m)
            .FirstOrDefaultAsync(cancellationToken);
        if (successor is not null && !successor.IsDefault)
        {
            successor.SetDefault(true, now);
        }
    }

    /// <summary>Makes <paramref name="membership"/> the user's only default, within the caller's transaction.</summary>
    public static async Task MakeDefaultAsync(TenantryDbContext db, WorkspaceMembership membership, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await ClearAsync(db, membership.UserId, now, cancellationToken, except: membership.Id);
        membership.SetDefault(true, now);
    }

    /// <summary>Clears the user's default (the Wacht "switch to no workspace").</summary>
    public static Task<int> ClearAsync(TenantryDbContext db, string userId, DateTimeOffset now, CancellationToken cancellationToken, string? except = null)
    {
        db.PendingChanges.Record(DataChange.UserMemberships(userId));
        return db.WorkspaceMemberships
            .Where(m => m.UserId == userId && m.IsDefault && m.Id != except)
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.IsDefault, false).SetProperty(x => x.UpdatedAt, now.UtcDateTime), cancellationToken);
    }
}
