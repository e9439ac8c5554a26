using Microsoft.EntityFrameworkCore;
using Tenantry.Data;
using Tenantry.Domain.Memberships;

namespace Tenantry.Application.Workspaces.Memberships;

/// <summary>"A workspace always keeps at least one Owner." Callers hold the workspace lock (see RowLocks) while they ask.</summary>
public static class WorkspaceOwners
{
    /// <summary>True when <paramref name="membership"/> holds the Owner role and no other member of its workspace does.</summary>
    public static async Task<bool> IsLastOwnerAsync(TenantryDbContext db, WorkspaceMembership membership, CancellationToken cancellationToken)
    {
        var owners = await (
                from m in db.WorkspaceMemberships
                where m.WorkspaceId == membership.WorkspaceId
                join r in db.WorkspaceRoles on m.RoleId equals r.Id
                where r.BuiltIn == BuiltInRole.Owner
                select m.Id)
            .ToListAsync(cancellationToken);
        return owners.Count == 1 && owners[0] == membership.Id;
    }
}
