using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Application.Workspaces.Memberships;
using Tenantry.Data;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Policies;

namespace Tenantry.Application.Workspaces.ListMine;

/// <summary>
/// The queries behind "list my workspaces": one user's rows (the list, or one item of it after a
/// change), several users' rows at once (background refreshes of <see cref="MyWorkspacesCache"/>),
/// and the per-request eligibility that turns a row into a <see cref="MyWorkspace"/>.
/// </summary>
public static class MyWorkspaceRows
{
    // One compiled query for the whole list (workspaceId null) and for one item; EF Core plans the two cases separately.
    private static readonly Func<TenantryDbContext, string, string?, IAsyncEnumerable<MyWorkspaceRow>> s_rows =
        EF.CompileAsyncQuery((TenantryDbContext ctx, string userId, string? workspaceId) =>
            from m in ctx.WorkspaceMemberships
            where m.UserId == userId && (workspaceId == null || m.WorkspaceId == workspaceId)
            join w in ctx.Workspaces on m.WorkspaceId equals w.Id
            join r in ctx.WorkspaceRoles on m.RoleId equals r.Id
            join i in ctx.Institutions on w.InstitutionId equals i.Id
            orderby m.CreatedAt, m.Id
            select new MyWorkspaceRow(
                w.Id, w.Name, w.Kind, w.Status, w.Policy, w.InstitutionId, i.EnforceMfa, i.IpAllowlist,
                r.Id, r.Name, r.BuiltIn, m.JoinSource, m.Status, m.IsDefault, m.CreatedAt, m.UpdatedAt));

    /// <summary>The user's rows (all, or the one of <paramref name="workspaceId"/>), in list order, straight from the database.</summary>
    public static async Task<MyWorkspaceRow[]> LoadAsync(TenantryDbContext db, string userId, string? workspaceId, CancellationToken cancellationToken)
    {
        var rows = new List<MyWorkspaceRow>();
        await foreach (var row in s_rows(db, userId, workspaceId).WithCancellation(cancellationToken))
        {
            rows.Add(row);
        }
        return [.. rows];
    }

    /// <summary>One item of the caller's list (after a change to it), or null when they are not a member. Always read fresh.</summary>
    public static async Task<MyWorkspace?> GetItemAsync(TenantryDbContext db, Caller caller, string workspaceId, CancellationToken cancellationToken)
    {
        var rows = await LoadAsync(db, caller.UserId, workspaceId, cancellationToken);
        return rows.Length == 0 ? null : ToItem(rows[0], caller);
    }

    /// <summary>Several users' rows at once (<see cref="MembershipsOfUsers"/>); every user asked for is in the answer.</summary>
    public static async Task<IReadOnlyDictionary<string, MyWorkspaceRow[]>> LoadOfUsersAsync(
        TenantryDbContext db, IReadOnlyList<string> userIds, CancellationToken cancellationToken)
    {
        var memberships = await MembershipsOfUsers.LoadAsync(db, userIds, cancellationToken);
        var institutionIds = memberships.Select(x => x.Workspace.InstitutionId).Distinct().ToList();
        var institutions = await db.Institutions.AsNoTracking()
            .Where(i => institutionIds.Contains(i.Id))
            .Select(i => new { i.Id, i.EnforceMfa, i.IpAllowlist })
            .ToDictionaryAsync(i => i.Id, cancellationToken);
        var rows = memberships
            .Where(x => institutions.ContainsKey(x.Workspace.InstitutionId))
            .Select(x =>
            {
                var (m, w, r) = (x.Membership, x.Workspace, x.Role);
                var institution = institutions[w.InstitutionId];
                return new
                {
                    m.UserId,
                    Row = new MyWorkspaceRow(
                        w.Id, w.Name, w.Kind, w.Status, w.Policy, w.InstitutionId, institution.EnforceMfa, institution.IpAllowlist,
                        r.Id, r.Name, r.BuiltIn, m.JoinSource, m.Status, m.IsDefault, m.CreatedAt, m.UpdatedAt),
                };
            });
        var byUser = rows.GroupBy(x => x.UserId).ToDictionary(g => g.Key, g => g.Select(x => x.Row).ToArray());
        return userIds.Distinct().ToDictionary(id => id, id => byUser.TryGetValue(id, out var own) ? own : []);
    }

    /// <summary>The row as this caller sees it in this request: eligibility is decided now (client IP, MFA), never cached.</summary>
    public static MyWorkspace ToItem(MyWorkspaceRow row, Caller caller)
    {
        var eligibility = Eligibility.Decide(new EligibilityFacts(
            row.WorkspaceStatus, row.MembershipStatus, row.Policy, row.InstitutionIpAllowlist, row.InstitutionEnforcesMfa,
            caller.ClientIp, caller.MfaVerified));
        return new MyWorkspace(
            caller.UserId, row.WorkspaceId, row.WorkspaceName, row.Kind, row.InstitutionId, row.RoleId, row.RoleName,
            row.JoinSource, row.RoleBuiltIn == BuiltInRole.Owner, row.IsDefault, eligibility, row.Policy, row.CreatedAt, row.UpdatedAt);
    }
}
