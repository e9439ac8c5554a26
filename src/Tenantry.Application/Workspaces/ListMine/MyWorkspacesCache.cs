using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Tenantry.Application.Common;
using Tenantry.Application.Common.Caching;
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
/// re-read, and through the entry's age for workspace-level changes.
/// </summary>
public sealed class MyWorkspacesCache
{
    private readonly FreshCache<string, Entry> _cache;

    public MyWorkspacesCache(DataChangeFeed changes, IOptions<CacheOptions> options, TimeProvider clock)
    {
        _cache = new(options.Value.MaxStaleness, options.Value.MaxLists, clock);
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
        if (_cache.TryGet(caller.UserId, out var entry) && entry.Version == version)
        {
            return (entry.Rows, entry.Renderings);
        }
        var fill = _cache.BeginFill();
        var fresh = new Entry(version, await load(), new ConcurrentDictionary<RenderKey, object>());
        _cache.Set(caller.UserId, fresh, fill);
        return (fresh.Rows, fresh.Renderings);
    }

    private void Forget(IReadOnlyList<DataChange> changes)
    {
        foreach (var change in changes)
        {
            switch (change.Kind)
            {
                case DataChangeKind.UserMemberships:
                    _cache.Invalidate(change.Id!);
                    break;
                case DataChangeKind.Directory:
                    _cache.Clear();
                    return;
            }
        }
    }

    private sealed record Entry(long Version, MyWorkspaceRow[] Rows, ConcurrentDictionary<RenderKey, object> Renderings);
}
