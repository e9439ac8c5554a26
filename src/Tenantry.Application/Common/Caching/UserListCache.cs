using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tenantry.Data;
using Tenantry.Data.Changes;

namespace Tenantry.Application.Common.Caching;

/// <summary>
/// What one user's membership lists are built from, kept per user under the
/// <c>memberships_version</c> it was read at. An entry is served while the caller's
/// session-read version still matches and it is younger than <see cref="CacheOptions.MaxStaleness"/>.
/// Through this replica (and, on PostgreSQL, through every replica, see <see cref="DataChangeFeed"/>),
/// a change to a user's memberships or default drops their entry, and a change to a workspace,
/// institution or role that lists show drops every entry, once committed; so the next request
/// sees it. Views that also show member counts, timestamps and segments ask for
/// <c>showsDetails</c>: changes to those drop every entry too. A value in steady use is refreshed
/// in the background once its entry is about half the bound old (40–60 %), together with the others due
/// (<see cref="RefreshQueue{TItem}"/>). The refresh reads the list stamp first (<see cref="ListStamps"/>):
/// an entry read since the stamp last moved is kept as it is, without reading its rows, unless its rows
/// were last read <see cref="CacheOptions.ListFullReadInterval"/> ago. A cached value is one object for as long as it is served,
/// so front ends can key what they derive from it on that object (<see cref="CallerList{TItem}.Snapshot"/>).
/// </summary>
public sealed partial class UserListCache<TValue> where TValue : class
{
    // No stamp read yet, or the database keeps none: entries filled now are not vouched for.
    private const long NoStamp = long.MinValue;

    private readonly FreshCache<string, Entry> _cache;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _fullReadInterval;
    private readonly IServiceScopeFactory _scopes;
    private readonly Func<TenantryDbContext, IReadOnlyList<string>, Task<IReadOnlyDictionary<string, TValue>>> _readMany;
    private readonly Func<TenantryDbContext, Task<long?>> _readStamp;
    private readonly RefreshQueue<(string UserId, long Version)> _refreshes;
    private readonly bool _showsDetails;
    private long _latestStamp = NoStamp;

    /// <param name="readMany">Reads several users' values from the database at once (for background refreshes); every user asked for is in the answer.</param>
    /// <param name="readStamp">Reads the list stamp (<see cref="ListStamps.ReadAsync"/> unless a test says otherwise).</param>
    public UserListCache(
        DataChangeFeed changes, CacheOptions options, TimeProvider clock, IServiceScopeFactory scopes, ILogger logger,
        Func<TenantryDbContext, IReadOnlyList<string>, Task<IReadOnlyDictionary<string, TValue>>> readMany, bool showsDetails,
        Func<TenantryDbContext, Task<long?>>? readStamp = null)
    {
        // No comparer: the refresh decides itself what it keeps (it also renews the stamp a kept value was vouched for by).
        _cache = new(options.MaxStaleness, options.MaxLists, clock, () => changes.IsCoherent);
        _clock = clock;
        _fullReadInterval = options.ListFullReadInterval;
        _scopes = scopes;
        _readMany = readMany;
        _readStamp = readStamp ?? (db => ListStamps.ReadAsync(db));
        _refreshes = new(RefreshAsync, e => LogRefreshFailed(logger, e), options.RefreshGathering);
        _showsDetails = showsDetails;
        changes.Committed += Forget;
    }

    /// <summary>The caller's value, and whether it is the cached one (false when caches are off or it was read for this request alone).</summary>
    public async Task<(TValue Value, bool Cached)> GetAsync(Caller caller, Func<Task<TValue>> read)
    {
        if (caller.MembershipsVersion is not { } version || !_cache.Enabled)
        {
            return (await read(), false);
        }
        if (_cache.TryGet(caller.UserId, out var entry, out var refresh) && entry.Version == version)
        {
            if (refresh)
            {
                _refreshes.Enqueue((caller.UserId, version));
            }
            return (entry.Value, true);
        }
        var fill = _cache.BeginFill();
        // The latest stamp a refresh read was read before these rows are: it may vouch for them (ListStamps).
        var stamp = Volatile.Read(ref _latestStamp);
        var readAt = _clock.GetTimestamp();
        var fresh = new Entry(version, await read(), stamp == NoStamp ? null : stamp, readAt);
        _cache.Set(caller.UserId, fresh, fill);
        return (fresh.Value, true);
    }

    private Task RefreshAsync(IReadOnlyList<(string UserId, long Version)> due)
    {
        // A value read now is at least as new as the version it is kept under; a newer version
        // seen with the session makes it miss anyway. (A user queued twice keeps the later version.)
        var versions = new Dictionary<string, long>();
        foreach (var (userId, version) in due)
        {
            versions[userId] = version;
        }
        return _cache.RefreshAsync(versions.Keys, userIds => _scopes.WithDbAsync(async ctx =>
        {
            // Before the rows: a change committed after this read moves the stamp the next refresh sees.
            var stamp = await _readStamp(ctx);
            var readAt = _clock.GetTimestamp();
            var entries = new Dictionary<string, Entry>(userIds.Count);
            var toRead = new List<(string UserId, Entry? Served)>();
            foreach (var userId in userIds)
            {
                var served = _cache.TryGet(userId, out var entry) ? entry : null;
                if (served is not null && served.Version == versions[userId] && IsVouchedFor(served, stamp, readAt))
                {
                    entries[userId] = served;
                }
                else
                {
                    toRead.Add((userId, served));
                }
            }
            if (toRead.Count > 0)
            {
                var values = await _readMany(ctx, [.. toRead.Select(x => x.UserId)]);
                foreach (var (userId, served) in toRead)
                {
                    var fresh = new Entry(versions[userId], values[userId], stamp, readAt);
                    // The same content keeps the served value, the object answers are rendered from and kept with.
                    entries[userId] = served is not null && served.HasSameContent(fresh) ? served.ReadAgain(stamp, readAt) : fresh;
                }
            }
            if (stamp is { } latest)
            {
                Volatile.Write(ref _latestStamp, latest);
            }
            return (IReadOnlyDictionary<string, Entry>)entries;
        }));
    }

    // Nothing the entry shows changed since its rows were read, and they were read recently enough.
    private bool IsVouchedFor(Entry entry, long? stamp, long now) =>
        stamp is not null && entry.Stamp == stamp && _clock.GetElapsedTime(entry.ReadAt, now) < _fullReadInterval;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background refresh of cached membership lists failed")]
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
                case DataChangeKind.Details when _showsDetails:
                    _cache.Clear();
                    return;
            }
        }
    }

    /// <summary>
    /// A value, the version it was read at, and the list stamp read before its rows (null: none was).
    /// Content is compared by a hash of the value's JSON (every public property, nested records and
    /// lists included), computed in the background on the first refresh that reads the rows again, never
    /// on a request.
    /// </summary>
    private sealed class Entry(long version, TValue value, long? stamp, long readAt)
    {
        private static readonly JsonSerializerOptions s_contentJson = new() { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

        private byte[]? _contentHash;

        public long Version { get; } = version;

        public TValue Value { get; } = value;

        public long? Stamp { get; } = stamp;

        /// <summary>When its rows were last read (<see cref="TimeProvider.GetTimestamp"/>).</summary>
        public long ReadAt { get; } = readAt;

        public bool HasSameContent(Entry other) => Version == other.Version && ContentHash.AsSpan().SequenceEqual(other.ContentHash);

        /// <summary>This value, its rows read again with the same content under <paramref name="stamp"/>.</summary>
        public Entry ReadAgain(long? stamp, long readAt) => new(Version, Value, stamp, readAt) { _contentHash = _contentHash };

        private byte[] ContentHash => _contentHash ??= SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(Value, s_contentJson));
    }
}
