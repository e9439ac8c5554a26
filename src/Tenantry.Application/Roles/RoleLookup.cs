using Microsoft.EntityFrameworkCore;
using Tenantry.Data;
using Tenantry.Domain.Common;
using Tenantry.Domain.Memberships;

namespace Tenantry.Application.Roles;

/// <summary>Finds a role of one workspace by the id a client sent (tracked, for changes).</summary>
public static class RoleLookup
{
    public static async Task<WorkspaceRole?> FindAsync(TenantryDbContext db, string workspaceId, string? roleId, CancellationToken cancellationToken) =>
        EntityId.LooksValid(roleId, EntityId.Role)
            ? await db.WorkspaceRoles.FirstOrDefaultAsync(r => r.Id == roleId && r.WorkspaceId == workspaceId, cancellationToken)
            : null;

    public static Task<WorkspaceRole> BuiltInAsync(TenantryDbContext db, string workspaceId, BuiltInRole builtIn, CancellationToken cancellationToken) =>
        db.WorkspaceRoles.FirstAsync(r => r.WorkspaceId == workspaceId && r.BuiltIn == builtIn, cancellationToken);
}
