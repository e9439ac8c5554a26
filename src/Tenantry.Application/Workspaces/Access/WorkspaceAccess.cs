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

    /// <summary>Whether this member may hand out or take away <paramref name="role"/> (see <see cref="RoleGrants"/>).</summary>
    public bool MayGrant(WorkspaceRole role) => RoleGrants.MayGrant(IsOwner, Permissions, role);

    public bool MayGrant(IEnumerable<string> permissions) => RoleGrants.MayGrant(IsOwner, Permissions, permissions);
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
        var standing = await StandingAsync(workspaceId, userId);
        if (standing is null)
        {
            return new NotFound();
        }
        return standing.Grants(permission) ? standing : new PermissionDenied(permission);
    }

    /// <summary>The member's standing whatever their permissions; <see cref="NotFound"/> for anyone else.</summary>
    public async Task<Result<WorkspaceStanding>> StandingOfAsync(string workspaceId, string userId, CancellationToken cancellationToken) =>
        await StandingAsync(workspaceId, userId) is { } standing ? standing : new NotFound();

    /// <summary>For what only an owner may do (ownership transfer): an active membership in the Owner role.</summary>
    public async Task<Result<WorkspaceStanding>> CheckOwnerAsync(string workspaceId, string userId, CancellationToken cancellationToken)
    {
        var standing = await StandingAsync(workspaceId, userId);
        if (standing is null)
        {
            return new NotFound();
        }
        return standing is { IsOwner: true, Status: MembershipStatus.Active } ? standing : new PermissionDenied(OwnerOnly);
    }

    /// <summary>
    /// Takes the workspace lock in the caller's transaction (same scoped context), then decides
    /// the caller's standing again: a concurrent change (say, the caller being demoted) has
    /// committed by then, and the decision must not rest on what the authorization policy read before it.
    /// </summary>
    public async Task<Result<WorkspaceStanding>> LockAndRecheckAsync(WorkspaceStanding standing, string userId, string permission, CancellationToken cancellationToken)
    {
        await db.LockWorkspaceAsync(standing.WorkspaceId, cancellationToken);
        return await CheckAsync(standing.WorkspaceId, userId, permission, cancellationToken);
    }

    /// <summary>The pseudo-permission of owner-only operations.</summary>
    public const string OwnerOnly = "owner";

    private async Task<WorkspaceStanding?> StandingAsync(string workspaceId, string userId) =>
        EntityId.LooksValid(workspaceId, EntityId.Workspace) ? await s_standing(db, workspaceId, userId) : null;
}
