using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tenantry.Application.Common.Caching;
using Tenantry.Data;
using Tenantry.Data.Changes;

namespace Tenantry.Application.Accounts.Authentication;

/// <summary>What the per-request session check needs: the session row and its user's memberships version.</summary>
public sealed record SessionState(
    string UserId, string TokenHash, DateTime? RevokedAt, DateTime ExpiresAt, DateTime? MfaVerifiedAt,
    DateTime CreatedAt, DateTime UpdatedAt, long MembershipsVersion);

/// <summary>
/// The session check of every authenticated request, read in one indexed query (session by
/// id, joined to its user for <c>memberships_version</c>) and kept for at most
/// <see cref="CacheOptions.MaxStaleness"/>. Sign-out, refresh-token reuse and any other write
/// to the session through this replica drop it at once (<see cref="DataChangeFeed"/>), so the
/// next request here is refused; on other replicas a revoked session is refused within the
/// bound. Expiry is checked on every request against the cached expiry time.
/// </summary>
public sealed class SessionStates
{
    private static readonly Func<TenantryDbContext, string, Task<SessionState?>> s_find =
        EF.CompileAsyncQuery((TenantryDbContext ctx, string id) => ctx.Sessions
            .Where(s => s.Id == id)
            .Join(ctx.Users, s => s.UserId, u => u.Id, (s, u) => new SessionState(
                s.UserId, s.TokenHash, s.RevokedAt, s.ExpiresAt, s.MfaVerifiedAt, s.CreatedAt, s.UpdatedAt, u.MembershipsVersion))
            .FirstOrDefault());

    private readonly FreshCache<string, SessionState> _cache;

    public SessionStates(DataChangeFeed changes, IOptions<CacheOptions> options, TimeProvider clock)
    {
        _cache = new(options.Value.MaxStaleness, options.Value.MaxSessions, clock);
        changes.Committed += Forget;
    }

    /// <summary>The session, from cache or <paramref name="db"/> (resolved only on a miss), or null when it does not exist.</summary>
    public async ValueTask<SessionState?> GetAsync(string sessionId, Func<TenantryDbContext> db)
    {
        if (_cache.TryGet(sessionId, out var cached))
        {
            return cached;
        }
        var fill = _cache.BeginFill();
        var state = await s_find(db(), sessionId);
        if (state is not null)
        {
            _cache.Set(sessionId, state, fill);
        }
        return state;
    }

    private void Forget(IReadOnlyList<DataChange> changes)
    {
        foreach (var change in changes)
        {
            if (change.Kind == DataChangeKind.Session)
            {
                _cache.Invalidate(change.Id!);
            }
        }
    }
}
