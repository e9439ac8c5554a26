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
/// <c>showsDetails</c>: changes to those drop every entry too. A value in steady use is re-read
/// in the background once its entry is about half the bound old (40–60 %), together with the others due
/// (<see cref="RefreshQueue{TItem}"/>). A cached value is one object for as long as it is served,
/// so front ends can key what they derive from it on that object (<see cref="CallerList{TItem}.Snapshot"/>).
/// </summary>
public sealed partial class UserListCache<TValue> where TValue : class
{
    private readonly FreshCache<string, Entry> _cache;
    private readonly IServiceScopeFactory _scopes;
    private readonly Func<TenantryDbContext, IReadOnlyList<string>, Task<IReadOnlyDictionary<string, TValue>>> _readMany;
    private readonly RefreshQueue<(string UserId, long Version)> _refreshes;
    private readonly bool _showsDetails;

    /// <param name="readMany">Reads several users' values from the database at once (for background refreshes); every user asked for is in the answer.</param>
    public UserListCache(
        DataChangeFeed changes, CacheOptions options, TimeProvider clock, IServiceScopeFactory scopes, ILogger logger,
        Func<TenantryDbContext, IReadOnlyList<string>, Task<IReadOnlyDictionary<string, TValue>>> readMany, bool showsDetails)
    {
        _cache = new(options.MaxStaleness, options.MaxLists, clock, () => changes.IsCoherent, Entry.Unchanged);
        _scopes = scopes;
        _readMany = readMany;
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
        var fresh = new Entry(version, await read());
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
        return _cache.RefreshAsync(versions.Keys, async userIds =>
        {
            var values = await _scopes.WithDbAsync(ctx => _readMany(ctx, [.. userIds]));
            return userIds.ToDictionary(userId => userId, userId => new Entry(versions[userId], values[userId]));
        });
    }

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
    /// A value and the version it was read at. A background re-read that finds the same version and
    /// the same content keeps the served entry (<see cref="FreshCache{TKey, TValue}"/>): its value is
    /// the object answers are rendered from and kept with, so an unchanged list is not rendered again
    /// on a request after every refresh. Content is compared by a hash of the value's JSON (every
    /// public property, nested records and lists included), computed in the background on the first
    /// refresh, never on a request.
    /// </summary>
    private sealed class Entry(long version, TValue value)
    {
        private static readonly JsonSerializerOptions s_contentJson = new() { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

        public static readonly IEqualityComparer<Entry> Unchanged = EqualityComparer<Entry>.Create(
            (x, y) => x is not null && y is not null && x.Version == y.Version && x.ContentHash.AsSpan().SequenceEqual(y.ContentHash),
            entry => entry.Version.GetHashCode());

        private byte[]? _contentHash;

        public long Version { get; } = version;

        public TValue Value { get; } = value;

        private byte[] ContentHash => _contentHash ??= SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(Value, s_contentJson));
    }
}
