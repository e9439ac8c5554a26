using Microsoft.EntityFrameworkCore;
using Tenantry.Data;
using Tenantry.Domain.Common;
using Tenantry.Domain.Memberships;

namespace Tenantry.Application.Workspaces.Access;

/// <summary>The caller's standing in one workspace, as far as permissions go.</summary>
public sealed record WorkspaceStanding(
    string WorkspaceId, string InstitutionId, string MembershipId, string RoleId, bool IsOwner, MembershipStatus Status, IReadOnlyList<string> Permissions)
{
    public bool Grants(string permission) => Status == MembershipStatus.Active && Permissions.Contains(permission, StringComparer.Ordinal);
}

/// <summary>
/// Decides whether a user may do something in a workspace. Non-members get
/// <see cref="NotFound"/> (a workspace never reveals that it exists); members whose role
/// lacks the permission, or whose membership is inactive, get <see cref="PermissionDenied"/>.
/// The host's authorization policies call this; handlers can trust that it ran.
/// </summary>
public sealed class WorkspaceAccess(TenantryDbContext db)
{
    private static readonly Func<TenantryDbContext, string, string, Task<WorkspaceStanding?>> s_standing =
        EF.CompileAsyncQuery((TenantryDbContext ctx, string workspaceId, string userId) =>
            (from m in ctx.WorkspaceMemberships
             where m.WorkspaceId == workspaceId && m.UserId == userId
             join r in ctx.WorkspaceRoles on m.RoleId equals r.Id
             select new WorkspaceStanding(m.WorkspaceId, m.InstitutionId, m.Id, r.Id, r.BuiltIn == BuiltInRole.Owner, m.Status, r.Permissions))
            .FirstOrDefault());

    public async Task<Result<WorkspaceStanding>> CheckAsync(string workspaceId, string userId, string permission, CancellationToken cancellationToken)
    {
        if (!EntityId.LooksValid(workspaceId, EntityId.Workspace))
        {
            return new NotFound();
        }
        var standing = await s_standing(db, workspaceId, userId);
        if (standing is null)
        {
            return new NotFound();
        }
        return standing.Grants(permission) ? standing : new PermissionDenied(permission);
    }
}
