using Microsoft.EntityFrameworkCore;
using Tenantry.Data;
using Tenantry.Domain.Memberships;

namespace Tenantry.Application.Workspaces.Memberships;

/// <summary>
/// Ends memberships, whoever ends them (the member leaving one workspace or a whole
/// institution, or someone removing them): each workspace's member count follows, and a
/// user whose default was among them gets the next eligible membership as default.
/// Callers hold the workspace and user locks (see RowLocks), have already checked the
/// last-owner rule, add their audit events and commit.
/// </summary>
public static class MembershipRemoval
{
    public static async Task RemoveAsync(
        TenantryDbContext db, IReadOnlyList<WorkspaceMembership> memberships, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var workspaceIds = memberships.Select(m => m.WorkspaceId).Distinct().ToList();
        var workspaces = await db.Workspaces.Where(w => workspaceIds.Contains(w.Id)).ToDictionaryAsync(w => w.Id, cancellationToken);
        foreach (var membership in memberships)
        {
            db.WorkspaceMemberships.Remove(membership);
            workspaces[membership.WorkspaceId].MemberRemoved();
        }
        // The removal must be written before a successor is flagged: one default per user is a unique index.
        await db.SaveChangesAsync(cancellationToken);
        var usersWhoLostTheirDefault = memberships.Where(m => m.IsDefault).Select(m => m.UserId).Distinct().ToList();
        foreach (var userId in usersWhoLostTheirDefault)
        {
            await DefaultWorkspaces.PromoteSuccessorAsync(db, userId, now, cancellationToken);
        }
        if (usersWhoLostTheirDefault.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
