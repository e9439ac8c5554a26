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
    private readonly UserListCache<Entry> _cache = new(changes, options.Value, clock, scopes, logger,
        async (db, userIds) => (await ListMyWorkspacesHandler.LoadRowsOfUsersAsync(db, userIds, CancellationToken.None))
            .ToDictionary(kv => kv.Key, kv => new Entry(kv.Value)),
        showsDetails: false);

    /// <summary>The caller's rows, and the renderings kept with them (null when they are not cached).</summary>
    internal async Task<(MyWorkspaceRow[] Rows, KeptRenderings? Renderings)> GetAsync(
        Caller caller, Func<Task<MyWorkspaceRow[]>> load)
    {
        var (entry, kept) = await _cache.GetAsync(caller, async () => new Entry(await load()));
        return (entry.Rows, kept ? entry.Renderings : null);
    }

    private sealed record Entry(MyWorkspaceRow[] Rows)
    {
        public KeptRenderings Renderings { get; } = new();
    }
}
