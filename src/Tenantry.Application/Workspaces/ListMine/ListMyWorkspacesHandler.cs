using Tenantry.Application.Common;
using Tenantry.Application.Common.Caching;
using Tenantry.Data;

namespace Tenantry.Application.Workspaces.ListMine;

/// <summary>
/// "List my workspaces": the request every front end makes on every page load. One indexed
/// query (<see cref="MyWorkspaceRows"/>: memberships by user, joined to workspace, role and
/// institution), kept in <see cref="MyWorkspacesCache"/> under the user's <c>memberships_version</c>;
/// then the eligibility decision per item for this request (client IP, MFA), which is never cached.
/// </summary>
public sealed class ListMyWorkspacesHandler(MyWorkspacesCache cache, Lazy<TenantryDbContext> db)
{
    public async Task<CallerList<MyWorkspace>> HandleAsync(Caller caller, CancellationToken cancellationToken)
    {
        // The request's pooled context is leased only when the cache misses.
        var (rows, cached) = await cache.GetAsync(caller, () => MyWorkspaceRows.LoadAsync(db.Value, caller.UserId, workspaceId: null, cancellationToken));
        return new CallerList<MyWorkspace>(() => Array.ConvertAll(rows, row => MyWorkspaceRows.ToItem(row, caller)), cached ? rows : null);
    }
}
