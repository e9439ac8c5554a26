using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenantry.Application.Common;
using Tenantry.Application.Common.Caching;
using Tenantry.Data;
using Tenantry.Data.Changes;

namespace Tenantry.Application.Workspaces.ListMine;

/// <summary>
/// The rows of each user's list, under the <c>memberships_version</c> they were read at. An
/// entry is served while the caller's session-read version still matches and it is younger
/// than <see cref="CacheOptions.MaxStaleness"/>. Through this replica, any change to a user's
/// memberships or default drops their entry, and any change to a workspace, institution or
/// role that lists show (name, kind, status, policies, role name) drops every entry, once
/// committed (<see cref="DataChangeFeed"/>); so the next request here sees it. Changes made
/// through other replicas are seen within the bound: through the version when the session is
/// re-read, and through the entry's age for workspace-level changes. A list in steady use is
/// re-read in the background once its entry is half the bound old.
/// </summary>
public sealed partial class MyWorkspacesCache
{
    private readonly FreshCache<string, Entry> _cache;
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<MyWorkspacesCache> _logger;

    public MyWorkspacesCache(DataChangeFeed changes, IOptions<CacheOptions> options, TimeProvider clock, IServiceScopeFactory scopes, ILogger<MyWorkspacesCache> logger)
    {
        _cache = new(options.Value.MaxStaleness, options.Value.MaxLists, clock, () => changes.IsCoherent);
        _scopes = scopes;
        _logger = logger;
        changes.Committed += Forget;
    }

    /// <summary>The caller's rows, and the renderings kept with them (null when they are not cached).</summary>
    internal async Task<(MyWorkspaceRow[] Rows, ConcurrentDictionary<RenderKey, object>? Renderings)> GetAsync(
        Caller caller, Func<Task<MyWorkspaceRow[]>> load)
    {
        if (caller.MembershipsVersion is not { } version || !_cache.Enabled)
        {
            return (await load(), null);
        }
        if (_cache.TryGet(caller.UserId, out var entry, out var refresh) && entry.Version == version)
        {
            if (refresh)
            {
                // Rows read now are at least as new as the version they are kept under; a newer
                // version seen with the session makes them miss anyway.
                var userId = caller.UserId;
                _cache.RefreshInBackground(userId, () => _scopes.WithDbAsync(async ctx => (Entry?)new Entry(
                    version, await ListMyWorkspacesHandler.LoadRowsAsync(ctx, userId, workspaceId: null, CancellationToken.None),
                    new ConcurrentDictionary<RenderKey, object>())), e => LogRefreshFailed(_logger, e));
            }
            return (entry.Rows, entry.Renderings);
        }
        var fill = _cache.BeginFill();
        var fresh = new Entry(version, await load(), new ConcurrentDictionary<RenderKey, object>());
        _cache.Set(caller.UserId, fresh, fill);
        return (fresh.Rows, fresh.Renderings);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background refresh of a cached workspace list failed")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);

    private void Forget(IReadOnlyList<DataChange> changes)
    {
        foreach (var change in changes)
        {
            switch (change.Kind)
            {
                case DataChangeKind.UserMemberships:
                    _cache.Invalidate(change.Id!);
                    break;
                case DataChangeKind.Directory or DataChangeKind.Everything:
                    _cache.Clear();
                    return;
            }
        }
    }

    private sealed record Entry(long Version, MyWorkspaceRow[] Rows, ConcurrentDictionary<RenderKey, object> Renderings);
}
