using Microsoft.Extensions.Time.Testing;
using Tenantry.Application.Common.Caching;

namespace Tenantry.UnitTests.Application;

public sealed class FreshCacheTests
{
    private readonly FakeTimeProvider _clock = new();
    private bool _coherent = true;

    private FreshCache<string, int> Cache(int seconds = 2, int capacity = 100) => new(TimeSpan.FromSeconds(seconds), capacity, _clock, () => _coherent);

    [Fact]
    public void Nothing_is_served_or_kept_while_the_replica_may_be_missing_changes()
    {
        var cache = Cache();
        cache.Set("a", 1, cache.BeginFill());
        _coherent = false;
        Assert.False(cache.Enabled);
        Assert.False(cache.TryGet("a", out _));
        cache.Set("b", 2, cache.BeginFill());
        _coherent = true;
        Assert.False(cache.TryGet("b", out _));
    }

    [Fact]
    public void An_entry_is_served_until_it_is_max_age_old()
    {
        var cache = Cache();
        cache.Set("a", 1, cache.BeginFill());
        Assert.True(cache.TryGet("a", out var value));
        Assert.Equal(1, value);

        _clock.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.True(cache.TryGet("a", out _));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(cache.TryGet("a", out _));
    }

    [Fact]
    public void Invalidate_drops_only_that_key_and_clear_drops_all()
    {
        var cache = Cache();
        cache.Set("a", 1, cache.BeginFill());
        cache.Set("b", 2, cache.BeginFill());

        cache.Invalidate("a");
        Assert.False(cache.TryGet("a", out _));
        Assert.True(cache.TryGet("b", out _));

        cache.Clear();
        Assert.False(cache.TryGet("b", out _));
    }

    [Fact]
    public void A_fill_that_began_before_an_invalidation_is_not_kept()
    {
        var cache = Cache();
        var fill = cache.BeginFill();
        // The value was read from the database here, then the change committed and invalidated.
        cache.Invalidate("a");
        cache.Set("a", 1, fill);

        Assert.False(cache.TryGet("a", out _));
        cache.Set("a", 2, cache.BeginFill());
        Assert.True(cache.TryGet("a", out var value));
        Assert.Equal(2, value);
    }

    [Fact]
    public void Zero_max_age_disables_it()
    {
        var cache = Cache(seconds: 0);
        cache.Set("a", 1, cache.BeginFill());
        Assert.False(cache.Enabled);
        Assert.False(cache.TryGet("a", out _));
    }

    [Fact]
    public void A_full_cache_sweeps_expired_entries_first_then_starts_over()
    {
        var cache = Cache(capacity: 3);
        cache.Set("old", 0, cache.BeginFill());
        _clock.Advance(TimeSpan.FromSeconds(3));
        cache.Set("a", 1, cache.BeginFill());
        cache.Set("b", 2, cache.BeginFill());
        cache.Set("c", 3, cache.BeginFill());
        Assert.Equal(3, cache.Count);
        Assert.True(cache.TryGet("a", out _));

        cache.Set("d", 4, cache.BeginFill());
        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet("d", out _));
    }

    [Fact]
    public void Past_its_refresh_point_an_entry_asks_exactly_one_caller_to_refresh_it()
    {
        var cache = Cache(seconds: 4);
        cache.Set("a", 1, cache.BeginFill());
        _clock.Advance(TimeSpan.FromSeconds(1.5));
        Assert.True(cache.TryGet("a", out _, out var early));
        Assert.False(early);

        // The refresh point lies between 40 and 60 % of the age.
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(cache.TryGet("a", out _, out var first));
        Assert.True(cache.TryGet("a", out _, out var second));
        Assert.True(first);
        Assert.False(second);

        // The refreshed entry starts over.
        cache.Set("a", 2, cache.BeginFill());
        Assert.True(cache.TryGet("a", out var value, out var again));
        Assert.Equal(2, value);
        Assert.False(again);
    }

    [Fact]
    public async Task A_batch_refresh_stores_what_it_read_and_drops_the_keys_that_are_gone()
    {
        var cache = Cache();
        foreach (var key in new[] { "a", "gone", "b" })
        {
            cache.Set(key, 1, cache.BeginFill());
        }

        await cache.RefreshAsync(["a", "gone", "b"], _ => Task.FromResult<IReadOnlyDictionary<string, int>>(
            new Dictionary<string, int> { ["a"] = 2, ["b"] = 3 }));

        Assert.True(cache.TryGet("a", out var a));
        Assert.True(cache.TryGet("b", out var b));
        Assert.Equal((2, 3), (a, b));
        Assert.False(cache.TryGet("gone", out _));
    }

    [Fact]
    public async Task A_batch_refresh_that_raced_an_invalidation_keeps_nothing_it_read()
    {
        var cache = Cache();
        cache.Set("a", 1, cache.BeginFill());

        await cache.RefreshAsync(["a"], _ =>
        {
            // A write committed while the batch was being read.
            cache.Invalidate("a");
            return Task.FromResult<IReadOnlyDictionary<string, int>>(new Dictionary<string, int> { ["a"] = 2 });
        });

        Assert.False(cache.TryGet("a", out _));
    }

    private sealed record Rows(string Name, int Count);

    [Fact]
    public async Task A_refresh_that_reads_an_equal_value_keeps_the_served_object_and_a_changed_one_replaces_it()
    {
        var cache = new FreshCache<string, Rows>(TimeSpan.FromSeconds(2), 100, _clock, () => true, EqualityComparer<Rows>.Default);
        var served = new Rows("Acme", 1);
        cache.Set("a", served, cache.BeginFill());

        // Equal content, another object: what callers keep with the served object stays valid.
        await cache.RefreshAsync(["a"], _ => Task.FromResult<IReadOnlyDictionary<string, Rows>>(new Dictionary<string, Rows> { ["a"] = new("Acme", 1) }));
        Assert.True(cache.TryGet("a", out var kept));
        Assert.Same(served, kept);
        // Kept, it is served for a whole bound again from the refresh.
        _clock.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.True(cache.TryGet("a", out _));

        var changed = new Rows("Acme Corp", 1);
        await cache.RefreshAsync(["a"], _ => Task.FromResult<IReadOnlyDictionary<string, Rows>>(new Dictionary<string, Rows> { ["a"] = changed }));
        Assert.True(cache.TryGet("a", out var replaced));
        Assert.Same(changed, replaced);
    }

    [Fact]
    public async Task Without_a_comparer_a_refresh_always_stores_the_object_it_read()
    {
        var cache = new FreshCache<string, Rows>(TimeSpan.FromSeconds(2), 100, _clock, () => true);
        cache.Set("a", new Rows("Acme", 1), cache.BeginFill());
        var reread = new Rows("Acme", 1);

        await cache.RefreshAsync(["a"], _ => Task.FromResult<IReadOnlyDictionary<string, Rows>>(new Dictionary<string, Rows> { ["a"] = reread }));

        Assert.True(cache.TryGet("a", out var value));
        Assert.Same(reread, value);
    }

    [Fact]
    public void Entries_filled_together_come_due_for_refresh_spread_over_40_to_60_percent_of_their_age()
    {
        var cache = Cache(seconds: 10, capacity: 1000);
        var keys = Enumerable.Range(0, 200).Select(i => $"k{i}").ToArray();
        foreach (var key in keys)
        {
            cache.Set(key, 1, cache.BeginFill());
        }
        int DueNow() => keys.Count(key => cache.TryGet(key, out _, out var refresh) && refresh);

        _clock.Advance(TimeSpan.FromSeconds(3.99));
        Assert.Equal(0, DueNow());
        // Halfway through the window some are due, not all (each of 200 draws would have to fall on one side).
        _clock.Advance(TimeSpan.FromSeconds(1.01));
        var firstHalf = DueNow();
        Assert.InRange(firstHalf, 1, keys.Length - 1);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(keys.Length - firstHalf, DueNow());
    }
}
