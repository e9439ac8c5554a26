using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenantry.Application.Common;
using Tenantry.Application.Common.Caching;
using Tenantry.Data.Changes;

namespace Tenantry.Application.Workspaces.ListMine;

/// <summary>
/// The rows of each user's workspace list (<see cref="UserListCache{TValue}"/>), with the
/// renderings dialects keep of them (<see cref="RenderableList{TItem}.Rendered{T}"/>), which go when the rows go.
/// </summary>
public sealed class MyWorkspacesCache(
    DataChangeFeed changes, IOptions<CacheOptions> options, TimeProvider clock, IServiceScopeFactory scopes, ILogger<MyWorkspacesCache> logger)
{
    private readonly UserListCache<MyWorkspaceRow[]> _cache = new(changes, options.Value, clock, scopes, logger,
        (db, userIds) => ListMyWorkspacesHandler.LoadRowsOfUsersAsync(db, userIds, CancellationToken.None), showsDetails: false);

    /// <summary>The caller's rows, and the renderings kept with them (null when they are not cached).</summary>
    internal Task<(MyWorkspaceRow[] Value, KeptRenderings? Renderings)> GetAsync(Caller caller, Func<Task<MyWorkspaceRow[]>> load) =>
        _cache.GetAsync(caller, load);
}
