using System.Collections.Concurrent;

namespace Tenantry.Application.Common.Caching;

/// <summary>
/// A concurrent cache whose entries are served for at most a maximum age, and that a racing
/// fill cannot poison: a value read from the database before an invalidation is never kept
/// after it. Protocol: take <see cref="BeginFill"/> before reading the database, then
/// <see cref="Set"/> with it; an invalidation in between (of any key) makes the set undo itself.
/// An entry past 40–60 % of its age (drawn per entry) asks one caller to refresh it (<see cref="TryGet(TKey, out TValue, out bool)"/>),
/// so a key in steady use is re-read in the background and never expires on a request.
/// With <paramref name="unchanged"/>, a re-read equal to the value served keeps that very object,
/// so what callers derived from it and keep with it (a rendered answer, a principal) stays valid.
/// </summary>
public sealed class FreshCache<TKey, TValue>(
    TimeSpan maxAge, int capacity, TimeProvider clock, Func<bool> coherent, IEqualityComparer<TValue>? unchanged = null) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();
    private long _generation;

    /// <summary>Off when configured so, and while this replica may be missing other replicas' changes.</summary>
    public bool Enabled => maxAge > TimeSpan.Zero && coherent();

    public int Count => _entries.Count;

    public long BeginFill() => Volatile.Read(ref _generation);

    public bool TryGet(TKey key, out TValue value) => TryGet(key, out value, out _);

    /// <summary>
    /// As <see cref="TryGet(TKey, out TValue)"/>; <paramref name="refresh"/> is true for exactly one caller once the entry is past
    /// 40–60 % of its age: that caller has it re-read (<see cref="RefreshQueue{TItem}"/>) under the fill protocol (<see cref="BeginFill"/>, <see cref="Set"/>).
    /// </summary>
    public bool TryGet(TKey key, out TValue value, out bool refresh)
    {
        var now = clock.GetTimestamp();
        if (Enabled && _entries.TryGetValue(key, out var entry) && now < entry.ExpiresAt)
        {
            value = entry.Value;
            refresh = now >= entry.RefreshAt && entry.ClaimRefresh();
            return true;
        }
        value = default!;
        refresh = false;
        return false;
    }

    public void Set(TKey key, TValue value, long fillGeneration)
    {
        if (!Enabled)
        {
            return;
        }
        if (_entries.Count >= capacity)
        {
            Sweep();
        }
        var now = clock.GetTimestamp();
        var age = (long)(maxAge.TotalSeconds * clock.TimestampFrequency);
        // Drawn per entry: entries filled together (a start, a cleared cache) would otherwise fall due
        // together at every half age and be re-read in one burst, a database query of hundreds of keys
        // that takes a core while requests wait; spread, they come due in small batches.
        var refreshAfter = (long)(age * (0.4 + 0.2 * Random.Shared.NextDouble()));
        var entry = new Entry(value, now + refreshAfter, now + age);
        _entries[key] = entry;
        if (Volatile.Read(ref _generation) != fillGeneration)
        {
            // An invalidation ran while the value was being read: it may predate the change.
            _entries.TryRemove(KeyValuePair.Create(key, entry));
        }
    }

    /// <summary>
    /// Re-reads <paramref name="keys"/> together under the fill protocol (background refreshes, see
    /// <see cref="RefreshQueue{TItem}"/>); a value equal to the one served is kept as it was. A key missing from the answer no longer exists and is
    /// dropped, after the others are stored: dropping it first would count as an invalidation
    /// during their fill and discard them too.
    /// </summary>
    public async Task RefreshAsync(IReadOnlyCollection<TKey> keys, Func<IReadOnlyCollection<TKey>, Task<IReadOnlyDictionary<TKey, TValue>>> read)
    {
        var fill = BeginFill();
        var values = await read(keys);
        foreach (var key in keys)
        {
            if (values.TryGetValue(key, out var value))
            {
                Set(key, unchanged is not null && TryGet(key, out var served) && unchanged.Equals(served, value) ? served : value, fill);
            }
        }
        foreach (var key in keys.Where(key => !values.ContainsKey(key)))
        {
            Invalidate(key);
        }
    }

    public void Invalidate(TKey key)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(key, out _);
    }

    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    // Expired entries go first; if the cache is still full, it starts over (a hard memory bound;
    // entries live seconds and are cheap to rebuild).
    private void Sweep()
    {
        var now = clock.GetTimestamp();
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
            {
                _entries.TryRemove(KeyValuePair.Create(key, entry));
            }
        }
        if (_entries.Count >= capacity)
        {
            _entries.Clear();
        }
    }

    // A class, so that TryRemove(key, entry) removes this very entry and not an equal newer one.
    private sealed class Entry(TValue value, long refreshAt, long expiresAt)
    {
        private int _refreshClaimed;

        public TValue Value { get; } = value;

        public long RefreshAt { get; } = refreshAt;

        public long ExpiresAt { get; } = expiresAt;

        public bool ClaimRefresh() => Interlocked.Exchange(ref _refreshClaimed, 1) == 0;
    }
}
