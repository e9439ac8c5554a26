using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenantry.Application.Common;
using Tenantry.Application.Common.Caching;
using Tenantry.Data.Changes;

namespace Tenantry.Application.Workspaces.ListMine;

/// <summary>The rows of each user's workspace list (<see cref="UserListCache{TValue}"/>), refreshed in batches with <see cref="MyWorkspaceRows.LoadOfUsersAsync"/>.</summary>
public sealed class MyWorkspacesCache(
    DataChangeFeed changes, IOptions<CacheOptions> options, TimeProvider clock, IServiceScopeFactory scopes, ILogger<MyWorkspacesCache> logger)
{
    private readonly UserListCache<MyWorkspaceRow[]> _cache = new(changes, options.Value, clock, scopes, logger,
        (db, userIds) => MyWorkspaceRows.LoadOfUsersAsync(db, userIds, CancellationToken.None), showsDetails: false);

    /// <summary>The caller's rows, and whether they are the cached ones (<see cref="UserListCache{TValue}.GetAsync"/>).</summary>
    internal Task<(MyWorkspaceRow[] Value, bool Cached)> GetAsync(Caller caller, Func<Task<MyWorkspaceRow[]>> load) =>
        _cache.GetAsync(caller, load);
}
