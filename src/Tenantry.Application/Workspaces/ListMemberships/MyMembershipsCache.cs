using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenantry.Application.Common;
using Tenantry.Application.Common.Caching;
using Tenantry.Data.Changes;

namespace Tenantry.Application.Workspaces.ListMemberships;

/// <summary>
/// Each user's memberships in full, and which are active (<see cref="UserListCache{TValue}"/>):
/// what the full membership view and the session's active memberships are built from, refreshed
/// in batches with <see cref="MembershipSnapshots.LoadManyAsync"/>. The full view also shows member
/// counts, timestamps and segments, so changes to those drop every entry as well.
/// </summary>
public sealed class MyMembershipsCache(
    DataChangeFeed changes, IOptions<CacheOptions> options, TimeProvider clock, IServiceScopeFactory scopes, ILogger<MyMembershipsCache> logger)
{
    private readonly UserListCache<MembershipSnapshot> _cache = new(changes, options.Value, clock, scopes, logger,
        (db, userIds) => MembershipSnapshots.LoadManyAsync(db, userIds, CancellationToken.None), showsDetails: true);

    /// <summary>The caller's snapshot, and whether it is the cached one (<see cref="UserListCache{TValue}.GetAsync"/>).</summary>
    internal Task<(MembershipSnapshot Value, bool Cached)> GetAsync(Caller caller, Func<Task<MembershipSnapshot>> load) =>
        _cache.GetAsync(caller, load);
}
