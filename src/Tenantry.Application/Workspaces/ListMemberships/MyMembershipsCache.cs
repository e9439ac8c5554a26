using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenantry.Application.Common;
using Tenantry.Application.Common.Caching;
using Tenantry.Application.Organizations;
using Tenantry.Data;
using Tenantry.Data.Changes;

namespace Tenantry.Application.Workspaces.ListMemberships;

/// <summary>
/// Each user's memberships in full, and which are active (<see cref="UserListCache{TValue}"/>):
/// what Wacht's membership list and the session view sent with every Wacht answer are built
/// from. The full view also shows member counts, timestamps and segments, so changes to those
/// drop every entry as well. Renderings of the list are kept with each cached snapshot
/// (<see cref="RenderableList{TItem}.Rendered{T}"/>) and go with it.
/// </summary>
public sealed class MyMembershipsCache(
    DataChangeFeed changes, IOptions<CacheOptions> options, TimeProvider clock, IServiceScopeFactory scopes, ILogger<MyMembershipsCache> logger)
{
    private readonly UserListCache<MembershipSnapshot> _cache = new(changes, options.Value, clock, scopes, logger,
        (db, userIds) => ListMyMembershipsHandler.LoadManyAsync(db, userIds, CancellationToken.None), showsDetails: true);

    /// <summary>The caller's snapshot, and the renderings kept with it (null when it is not cached).</summary>
    internal Task<(MembershipSnapshot Value, KeptRenderings? Renderings)> GetAsync(Caller caller, Func<Task<MembershipSnapshot>> load) =>
        _cache.GetAsync(caller, load);

    /// <summary>The caller's active organization and workspace memberships.</summary>
    public async Task<ActiveMemberships> ActiveAsync(Caller caller, Func<TenantryDbContext> db, CancellationToken cancellationToken) =>
        (await GetAsync(caller, () => ListMyMembershipsHandler.LoadAsync(db(), caller.UserId, cancellationToken))).Value.Active;
}
