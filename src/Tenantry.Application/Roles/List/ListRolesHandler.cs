using Microsoft.EntityFrameworkCore;
using Tenantry.Data;
using Tenantry.Domain.Memberships;

namespace Tenantry.Application.Roles.List;

/// <summary>The roles of a workspace: Owner, Member, then custom roles oldest first.</summary>
public sealed class ListRolesHandler(TenantryDbContext db)
{
    public async Task<IReadOnlyList<RoleView>> HandleAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var roles = await db.WorkspaceRoles.AsNoTracking().Where(r => r.WorkspaceId == workspaceId).ToListAsync(cancellationToken);
        return roles
            .OrderBy(r => r.BuiltIn switch { BuiltInRole.Owner => 0, BuiltInRole.Member => 1, _ => 2 })
            .ThenBy(r => r.CreatedAt)
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .Select(RoleView.From)
            .ToList();
    }
}
