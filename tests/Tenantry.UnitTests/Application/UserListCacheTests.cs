using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Tenantry.Application.Common;
using Tenantry.Application.Common.Caching;
using Tenantry.Application.Workspaces.ListMine;
using Tenantry.Data;
using Tenantry.Data.Changes;
using Tenantry.Data.Providers.Sqlite;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Workspaces;

namespace Tenantry.UnitTests.Application;

/// <summary>
/// Background refreshes of a user's list: a re-read with the same content keeps the served object
/// (answers are rendered from it and kept with it), compared by content, nested lists included.
/// </summary>
public sealed class UserListCacheTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly Caller _caller = new("usr_1", "ses_1", MfaVerified: false, ClientIp: null) { MembershipsVersion = 7 };
    private Func<MyWorkspaceRow[]> _database = () => [];
    private TaskCompletionSource _refreshed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private UserListCache<MyWorkspaceRow[]> Cache()
    {
        // The refresh opens a scope with a context, as on the server; the rows come from _database.
        var scopes = new ServiceCollection()
            .AddDbContext<TenantryDbContext, SqliteTenantryDbContext>(o => o.UseSqlite("Data Source=:memory:"))
            .BuildServiceProvider()
            .GetRequiredService<IServiceScopeFactory>();
        return new UserListCache<MyWorkspaceRow[]>(
            new DataChangeFeed(requiresBroadcast: false), new CacheOptions { MaxStaleness = TimeSpan.FromSeconds(2) }, _clock, scopes,
            NullLogger.Instance,
            (_, userIds) =>
            {
                var rows = _database();
                _refreshed.TrySetResult();
                return Task.FromResult<IReadOnlyDictionary<string, MyWorkspaceRow[]>>(userIds.ToDictionary(id => id, _ => rows));
            },
            showsDetails: false);
    }

    private static MyWorkspaceRow[] Rows(params string[] allowlist) =>
    [
        new("ws_1", "Acme", WorkspaceKind.Live, WorkspaceStatus.Active, Policy: null, "ins_1", InstitutionEnforcesMfa: false, [.. allowlist],
            "rol_1", "Owner", BuiltInRole.Owner, JoinSource.Created, MembershipStatus.Active, IsDefault: true,
            new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc)),
    ];

    private async Task<MyWorkspaceRow[]> ServedAsync(UserListCache<MyWorkspaceRow[]> cache) =>
        (await cache.GetAsync(_caller, () => throw new InvalidOperationException("the entry should be cached"))).Value;

    /// <summary>Past the refresh point (at most 60 % of the bound), one request queues the refresh; waits until the database was read.</summary>
    private async Task RefreshAsync(UserListCache<MyWorkspaceRow[]> cache)
    {
        _refreshed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _clock.Advance(TimeSpan.FromSeconds(1.25));
        await ServedAsync(cache);
        await _refreshed.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_refresh_that_reads_the_same_content_keeps_the_served_rows()
    {
        var cache = Cache();
        var first = Rows("198.51.100.0/24");
        var (served, cached) = await cache.GetAsync(_caller, () => Task.FromResult(first));
        Assert.True(cached);
        Assert.Same(first, served);

        // New objects, a new list inside: equal content.
        _database = () => Rows("198.51.100.0/24");
        await RefreshAsync(cache);
        // Storing the re-read follows the read at once on the refresh's thread.
        await Task.Delay(200);

        Assert.Same(first, await ServedAsync(cache));
        // Kept, it is served a whole bound from the refresh: past the first read's expiry.
        _clock.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Same(first, await ServedAsync(cache));
    }

    [Fact]
    public async Task A_refresh_that_reads_changed_content_replaces_the_served_rows()
    {
        var cache = Cache();
        var first = Rows("198.51.100.0/24");
        await cache.GetAsync(_caller, () => Task.FromResult(first));

        // Only an item of a nested list differs.
        var changed = Rows("203.0.113.0/24");
        _database = () => changed;
        await RefreshAsync(cache);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!ReferenceEquals(await ServedAsync(cache), changed) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.Same(changed, await ServedAsync(cache));
    }
}
