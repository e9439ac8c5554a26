using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenantry.Application.Common.Caching;
using Tenantry.Data;
using Tenantry.Data.Changes;
using Tenantry.Domain.Accounts;

namespace Tenantry.Application.Accounts.Authentication;

/// <summary>
/// What the per-request session check needs (the session row and its user's memberships
/// version), and the sign-in details the Wacht session view shows with every answer (with the
/// user's name and address: a rename drops the user's sessions from the cache).
/// </summary>
public sealed record SessionState(
    string Id, string UserId, string TokenHash, DateTime? RevokedAt, DateTime ExpiresAt, DateTime? MfaVerifiedAt,
    DateTime CreatedAt, DateTime UpdatedAt, long MembershipsVersion, string? ClientIp, string? UserAgent,
    string Email, string DisplayName, DateTime? EmailVerifiedAt);

/// <summary>
/// The session check of every authenticated request, read in one indexed query (session by
/// id, joined to its user for <c>memberships_version</c>) and kept for at most
/// <see cref="CacheOptions.MaxStaleness"/>. Sign-out, refresh-token reuse and any other write
/// to the session through this replica drop it at once (<see cref="DataChangeFeed"/>), so the
/// next request here is refused; on other replicas a revoked session is refused within the
/// bound. Expiry is checked on every request against the cached expiry time. A session in
/// steady use is re-read in the background once its entry is about half the bound old (40–60 %), so its
/// requests never wait for the database.
/// </summary>
public sealed partial class SessionStates
{
    // The one projection of a session and its user, for the single read and the batched refresh.
    private static readonly Expression<Func<Session, UserAccount, SessionState>> s_state = (s, u) => new SessionState(
        s.Id, s.UserId, s.TokenHash, s.RevokedAt, s.ExpiresAt, s.MfaVerifiedAt, s.CreatedAt, s.UpdatedAt, u.MembershipsVersion,
        s.ClientIp, s.UserAgent, u.Email, u.DisplayName, u.EmailVerifiedAt);

    private static readonly Func<TenantryDbContext, string, Task<SessionState?>> s_find =
        EF.CompileAsyncQuery((TenantryDbContext ctx, string id) => ctx.Sessions
            .Where(s => s.Id == id)
            .Join(ctx.Users, s => s.UserId, u => u.Id, s_state)
            .FirstOrDefault());

    private readonly FreshCache<string, SessionState> _cache;
    private readonly IServiceScopeFactory _scopes;
    private readonly RefreshQueue<string> _refreshes;

    public SessionStates(DataChangeFeed changes, IOptions<CacheOptions> options, TimeProvider clock, IServiceScopeFactory scopes, ILogger<SessionStates> logger)
    {
        // A record of scalars: its equality compares every column read. An unchanged session keeps its
        // snapshot, and with it the request's authenticated session and principal built from it.
        _cache = new(options.Value.MaxStaleness, options.Value.MaxSessions, clock, () => changes.IsCoherent, EqualityComparer<SessionState>.Default);
        _scopes = scopes;
        _refreshes = new(RefreshAsync, e => LogRefreshFailed(logger, e), options.Value.RefreshGathering);
        changes.Committed += Forget;
    }

    /// <summary>The session, from cache or <paramref name="db"/> (leased only on a miss), or null when it does not exist.</summary>
    public async ValueTask<SessionState?> GetAsync(string sessionId, Lazy<TenantryDbContext> db)
    {
        if (_cache.TryGet(sessionId, out var cached, out var refresh))
        {
            if (refresh)
            {
                _refreshes.Enqueue(sessionId);
            }
            return cached;
        }
        var fill = _cache.BeginFill();
        var state = await s_find(db.Value, sessionId);
        if (state is not null)
        {
            _cache.Set(sessionId, state, fill);
        }
        return state;
    }

    // Sessions in steady use, re-read together; one that no longer exists is dropped.
    private Task RefreshAsync(IReadOnlyList<string> sessionIds) =>
        _cache.RefreshAsync([.. sessionIds.Distinct()], async ids => await _scopes.WithDbAsync(ctx => ctx.Sessions
            .Where(s => ids.Contains(s.Id))
            .Join(ctx.Users, s => s.UserId, u => u.Id, s_state)
            .ToDictionaryAsync(x => x.Id)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background refresh of cached sessions failed")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);

    private void Forget(IReadOnlyList<DataChange> changes)
    {
        foreach (var change in changes)
        {
            switch (change.Kind)
            {
                case DataChangeKind.Session:
                    _cache.Invalidate(change.Id!);
                    break;
                case DataChangeKind.Everything:
                    _cache.Clear();
                    return;
            }
        }
    }
}
