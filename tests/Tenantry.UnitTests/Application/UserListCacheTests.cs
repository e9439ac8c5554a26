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
/// (answers are rendered from it and kept with it), compared by content, nested lists included;
/// an entry read since the list stamp last moved is kept without reading its rows.
/// </summary>
public sealed class UserListCacheTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly Caller _caller = new("usr_1", "ses_1", MfaVerified: false, ClientIp: null) { MembershipsVersion = 7 };
    private Func<MyWorkspaceRow[]> _database = () => [];
    private TaskCompletionSource _refreshed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _rowsRead = [];
    // The list stamp the refreshes find: null, as on Citus, vouches for nothing.
    private long? _stamp;

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
                lock (_rowsRead)
                {
                    _rowsRead.AddRange(userIds);
                }
                return Task.FromResult<IReadOnlyDictionary<string, MyWorkspaceRow[]>>(userIds.ToDictionary(id => id, _ => rows));
            },
            showsDetails: false,
            _ =>
            {
                var stamp = _stamp;
                _refreshed.TrySetResult();
                return Task.FromResult(stamp);
            });
    }

    private static MyWorkspaceRow[] Rows(params string[] allowlist) =>
    [
        new("ws_1", "Acme", WorkspaceKind.Live, WorkspaceStatus.Active, Policy: null, "ins_1", InstitutionEnforcesMfa: false, [.. allowlist],
            "rol_1", "Owner", BuiltInRole.Owner, JoinSource.Created, MembershipStatus.Active, IsDefault: true,
            new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc)),
    ];

    private async Task<MyWorkspaceRow[]> ServedAsync(UserListCache<MyWorkspaceRow[]> cache, Caller? caller = null) =>
        (await cache.GetAsync(caller ?? _caller, () => throw new InvalidOperationException("the entry should be cached"))).Value;

    private int RowReadsOf(string userId)
    {
        lock (_rowsRead)
        {
            return _rowsRead.Count(id => id == userId);
        }
    }

    /// <summary>
    /// Past the refresh point (at most 60 % of the bound), one request queues the refresh; waits until
    /// the refresh has read the stamp, then until it has stored what it read (at once on its thread).
    /// </summary>
    private async Task RefreshAsync(UserListCache<MyWorkspaceRow[]> cache, Caller? caller = null)
    {
        _refreshed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _clock.Advance(TimeSpan.FromSeconds(1.25));
        await ServedAsync(cache, caller);
        await _refreshed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(200);
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
        Assert.Equal(1, RowReadsOf(_caller.UserId));

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

    [Fact]
    public async Task A_refresh_that_finds_the_stamp_unmoved_keeps_the_entry_without_reading_its_rows()
    {
        _stamp = 5;
        var cache = Cache();
        var first = Rows();
        _database = () => Rows();
        await cache.GetAsync(_caller, () => Task.FromResult(first));

        // Filled before any stamp was read: nothing vouches for it, so its rows are read again, under stamp 5.
        await RefreshAsync(cache);
        Assert.Equal(1, RowReadsOf(_caller.UserId));

        await RefreshAsync(cache);
        Assert.Equal(1, RowReadsOf(_caller.UserId));
        // Renewed: served past the expiry of the read before (2.5 s since it, the bound is 2 s).
        _clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Same(first, await ServedAsync(cache));
    }

    [Fact]
    public async Task A_refresh_that_finds_the_stamp_moved_reads_the_rows_again()
    {
        _stamp = 5;
        var cache = Cache();
        await cache.GetAsync(_caller, () => Task.FromResult(Rows("198.51.100.0/24")));
        await RefreshAsync(cache);
        Assert.Equal(1, RowReadsOf(_caller.UserId));

        // Plain SQL changed an allowlist: the triggers moved the stamp.
        var changed = Rows("203.0.113.0/24");
        _database = () => changed;
        _stamp = 6;
        await RefreshAsync(cache);

        Assert.Equal(2, RowReadsOf(_caller.UserId));
        Assert.Same(changed, await ServedAsync(cache));
    }

    [Fact]
    public async Task Without_a_stamp_every_refresh_reads_the_rows()
    {
        var cache = Cache();
        await cache.GetAsync(_caller, () => Task.FromResult(Rows()));

        await RefreshAsync(cache);
        await RefreshAsync(cache);
        await RefreshAsync(cache);

        Assert.Equal(3, RowReadsOf(_caller.UserId));
    }

    [Fact]
    public async Task An_entry_filled_on_a_request_is_vouched_for_by_the_stamp_a_refresh_read_before_it()
    {
        _stamp = 5;
        var cache = Cache();
        await cache.GetAsync(_caller, () => Task.FromResult(Rows()));
        await RefreshAsync(cache);

        // Read on a request after that refresh read stamp 5: the stamp has not moved since, so its refresh reads nothing.
        var other = _caller with { UserId = "usr_2", SessionId = "ses_2" };
        await cache.GetAsync(other, () => Task.FromResult(Rows()));
        await RefreshAsync(cache, other);
        Assert.Equal(0, RowReadsOf(other.UserId));

        // A stamp that moved meanwhile does not vouch for it.
        _stamp = 6;
        await RefreshAsync(cache, other);
        Assert.Equal(1, RowReadsOf(other.UserId));
    }

    [Fact]
    public async Task Rows_the_stamp_vouched_for_are_read_again_after_twelve_bounds()
    {
        _stamp = 5;
        var cache = Cache();
        await cache.GetAsync(_caller, () => Task.FromResult(Rows()));
        await RefreshAsync(cache);
        Assert.Equal(1, RowReadsOf(_caller.UserId));

        // Refreshed every 1.25 s: for 24 s after their read (twelve 2-second bounds) the stamp alone keeps the rows.
        for (var sinceRead = 1.25; sinceRead < 24; sinceRead += 1.25)
        {
            await RefreshAsync(cache);
            Assert.Equal(1, RowReadsOf(_caller.UserId));
        }
        await RefreshAsync(cache);
        Assert.Equal(2, RowReadsOf(_caller.UserId));
    }
}
