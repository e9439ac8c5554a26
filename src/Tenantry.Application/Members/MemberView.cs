using Microsoft.EntityFrameworkCore;
using Tenantry.Data;
using Tenantry.Domain.Common;
using Tenantry.Domain.Memberships;

namespace Tenantry.Application.Members;

/// <summary>One member of a workspace as the member list shows them.</summary>
public sealed record MemberView(
    string UserId, string Email, string DisplayName, string RoleId, string RoleName, bool IsOwner, JoinSource JoinSource,
    MembershipStatus Status, DateTime CreatedAt, DateTime UpdatedAt, string MembershipId, DateTime? EmailVerifiedAt);

public static class MemberQueries
{
    /// <summary>The members of a workspace in the order they joined; with <paramref name="membershipIds"/>, only those memberships.</summary>
    public static IQueryable<MemberView> Members(
        TenantryDbContext db, string workspaceId, string? userId = null, IReadOnlyCollection<string>? membershipIds = null) =>
        from m in db.WorkspaceMemberships
        where m.WorkspaceId == workspaceId && (userId == null || m.UserId == userId) && (membershipIds == null || membershipIds.Contains(m.Id))
        join u in db.Users on m.UserId equals u.Id
        join r in db.WorkspaceRoles on m.RoleId equals r.Id
        orderby m.CreatedAt, m.Id
        select new MemberView(u.Id, u.Email, u.DisplayName, r.Id, r.Name, r.BuiltIn == BuiltInRole.Owner, m.JoinSource, m.Status, m.CreatedAt, m.UpdatedAt,
            m.Id, u.EmailVerifiedAt);

    public static Task<MemberView> OneAsync(TenantryDbContext db, string workspaceId, string userId, CancellationToken cancellationToken) =>
        Members(db, workspaceId, userId).FirstAsync(cancellationToken);

    /// <summary>The (tracked) membership of the user a client named, or null.</summary>
    public static async Task<WorkspaceMembership?> FindAsync(TenantryDbContext db, string workspaceId, string? userId, CancellationToken cancellationToken) =>
        EntityId.LooksValid(userId, EntityId.User)
            ? await db.WorkspaceMemberships.FirstOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == userId, cancellationToken)
            : null;
}
