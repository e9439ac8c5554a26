using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tenantry.Application.Common;
using Tenantry.Application.Common.Caching;
using Tenantry.Application.Workspaces.Memberships;
using Tenantry.Data;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Policies;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Application.Workspaces.ListMine;

/// <summary>One of the caller's workspaces, with their standing in it and whether they may enter it now.</summary>
public sealed record MyWorkspace(
    string UserId,
    string WorkspaceId,
    string WorkspaceName,
    WorkspaceKind Kind,
    string InstitutionId,
    string RoleId,
    string RoleName,
    JoinSource JoinSource,
    bool IsOwner,
    bool IsDefault,
    EligibilityDecision Eligibility,
    WorkspacePolicy? Policy,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>
/// "List my workspaces": the request every front end makes on every page load. One indexed
/// query (memberships by user, joined to workspace, role and institution), kept in
/// <see cref="MyWorkspacesCache"/> under the user's <c>memberships_version</c>; then the
/// eligibility decision per item for this request (client IP, MFA), which is never cached.
/// </summary>
public sealed class ListMyWorkspacesHandler(IServiceProvider services, MyWorkspacesCache cache)
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

    public async Task<RenderableList<MyWorkspace>> HandleAsync(Caller caller, CancellationToken cancellationToken)
    {
        var (rows, renderings) = await cache.GetAsync(caller, () => LoadRowsAsync(Database(), caller.UserId, workspaceId: null, cancellationToken));
        return new RenderableList<MyWorkspace>(() => Array.ConvertAll(rows, row => ToItem(row, caller)), caller, renderings);
    }

    /// <summary>One item of the caller's list (after a change to it), or null when they are not a member. Always read fresh.</summary>
    public async Task<MyWorkspace?> GetAsync(Caller caller, string workspaceId, CancellationToken cancellationToken)
    {
        var rows = await LoadRowsAsync(Database(), caller.UserId, workspaceId, cancellationToken);
        return rows.Length == 0 ? null : ToItem(rows[0], caller);
    }

    /// <summary>The caller's rows (all, or the one of <paramref name="workspaceId"/>), in list order, straight from the database.</summary>
    internal static async Task<MyWorkspaceRow[]> LoadRowsAsync(TenantryDbContext db, string userId, string? workspaceId, CancellationToken cancellationToken)
    {
        var rows = new List<MyWorkspaceRow>();
        await foreach (var row in s_rows(db, userId, workspaceId).WithCancellation(cancellationToken))
        {
            rows.Add(row);
        }
        return [.. rows];
    }

    /// <summary>Several users' rows at once (background refreshes of the cache, <see cref="MembershipsOfUsers"/>); every user asked for is in the answer.</summary>
    internal static async Task<IReadOnlyDictionary<string, MyWorkspaceRow[]>> LoadRowsOfUsersAsync(
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

    // The request's pooled context is leased only when the cache misses.
    private TenantryDbContext Database() => services.GetRequiredService<TenantryDbContext>();

    private static MyWorkspace ToItem(MyWorkspaceRow row, Caller caller)
    {
        var eligibility = Eligibility.Decide(new EligibilityFacts(
            row.WorkspaceStatus, row.MembershipStatus, row.Policy, row.InstitutionIpAllowlist, row.InstitutionEnforcesMfa,
            caller.ClientIp, caller.MfaVerified));
        return new MyWorkspace(
            caller.UserId, row.WorkspaceId, row.WorkspaceName, row.Kind, row.InstitutionId, row.RoleId, row.RoleName,
            row.JoinSource, row.RoleBuiltIn == BuiltInRole.Owner, row.IsDefault, eligibility, row.Policy, row.CreatedAt, row.UpdatedAt);
    }
}

/// <summary>What the list stores per membership: everything but the per-request eligibility.</summary>
public sealed record MyWorkspaceRow(
    string WorkspaceId, string WorkspaceName, WorkspaceKind Kind, WorkspaceStatus WorkspaceStatus, WorkspacePolicy? Policy,
    string InstitutionId, bool InstitutionEnforcesMfa, List<string> InstitutionIpAllowlist,
    string RoleId, string RoleName, BuiltInRole? RoleBuiltIn, JoinSource JoinSource, MembershipStatus MembershipStatus,
    bool IsDefault, DateTime CreatedAt, DateTime UpdatedAt);
