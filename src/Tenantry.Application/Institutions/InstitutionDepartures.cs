using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Workspaces.Memberships;
using Tenantry.Data;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Memberships;

namespace Tenantry.Application.Institutions;

/// <summary>
/// A user going out of an institution, whether they leave or someone who runs it removes them: a workspace membership
/// lives inside the institution membership, so every one of the user's memberships of its workspaces ends with it, and the
/// active institution (a flag of the institution membership) goes too. The caller holds the institution lock, owns the
/// transaction, checks the rules and audits; the workspace memberships then end as any removal does (<see cref="MembershipRemoval"/>).
/// </summary>
public static class InstitutionDepartures
{
    /// <summary>Takes the workspace locks (in id order) and the user's lock, and returns the user's memberships of the institution's workspaces.</summary>
    public static async Task<List<WorkspaceMembership>> LockAsync(TenantryDbContext db, string institutionId, string userId, CancellationToken cancellationToken)
    {
        var workspaceIds = await db.WorkspaceMemberships
            .Where(m => m.UserId == userId && m.InstitutionId == institutionId)
            .OrderBy(m => m.WorkspaceId)
            .Select(m => m.WorkspaceId)
            .ToListAsync(cancellationToken);
        foreach (var workspaceId in workspaceIds)
        {
            await db.LockWorkspaceAsync(workspaceId, cancellationToken);
        }
        await db.LockUserMembershipsAsync(userId, cancellationToken);
        return await db.WorkspaceMemberships
            .Where(m => m.UserId == userId && m.InstitutionId == institutionId)
            .OrderBy(m => m.WorkspaceId)
            .ToListAsync(cancellationToken);
    }

    /// <summary>The name of the first workspace that ending <paramref name="memberships"/> would leave without an owner; null when there is none.</summary>
    public static async Task<string?> WorkspaceLeftWithoutOwnerAsync(
        TenantryDbContext db, IReadOnlyList<WorkspaceMembership> memberships, CancellationToken cancellationToken)
    {
        foreach (var membership in memberships)
        {
            if (await WorkspaceOwners.IsLastOwnerAsync(db, membership, cancellationToken))
            {
                return await db.Workspaces.Where(w => w.Id == membership.WorkspaceId).Select(w => w.Name).FirstAsync(cancellationToken);
            }
        }
        return null;
    }

    /// <summary>Ends the institution membership itself; the workspace memberships are ended by the caller (leave or removal audit them differently).</summary>
    public static async Task EndAsync(TenantryDbContext db, InstitutionMembership membership, CancellationToken cancellationToken)
    {
        var institution = await db.Institutions.FirstAsync(i => i.Id == membership.InstitutionId, cancellationToken);
        db.InstitutionMemberships.Remove(membership);
        institution.MemberRemoved();
    }
}
