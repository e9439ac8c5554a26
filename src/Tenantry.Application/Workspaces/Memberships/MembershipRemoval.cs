using Microsoft.EntityFrameworkCore;
using Tenantry.Data;
using Tenantry.Domain.Memberships;

namespace Tenantry.Application.Workspaces.Memberships;

/// <summary>
/// Ends a membership, whoever ends it (the member leaving, or someone removing them): the
/// workspace's member count follows, and a default membership hands the default on.
/// Callers hold the workspace lock and the user's lock (see WorkspaceLocks) and have
/// already checked the last-owner rule; they add their audit event and commit.
/// </summary>
public static class MembershipRemoval
{
    public static async Task RemoveAsync(TenantryDbContext db, WorkspaceMembership membership, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var workspace = await db.Workspaces.FirstAsync(w => w.Id == membership.WorkspaceId, cancellationToken);
        db.WorkspaceMemberships.Remove(membership);
        workspace.MemberRemoved();
        await db.SaveChangesAsync(cancellationToken);
        if (membership.IsDefault)
        {
            await DefaultWorkspaces.PromoteSuccessorAsync(db, membership.UserId, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
