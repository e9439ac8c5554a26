using Tenantry.Application.Accounts.Tokens;
using Tenantry.Data;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.Authentication;

/// <summary>A request's proven identity: the user and a live session.</summary>
public sealed record AuthenticatedSession(string UserId, string SessionId, bool MfaVerified, DateTime SessionCreatedAt, DateTime SessionUpdatedAt)
{
    /// <summary>The user's <c>memberships_version</c> as read with the session; keys caches of the user's list.</summary>
    public long? MembershipsVersion { get; init; }
}

/// <summary>
/// Turns a bearer credential into an <see cref="AuthenticatedSession"/>: an access token
/// (SYSTEM dialect) or a session token (Wacht dialect). Either way the session must exist,
/// be unexpired and not revoked, checked on every request through <see cref="SessionStates"/>:
/// at once for a sign-out on this replica, within <c>Tenantry:Cache:MaxStaleness</c> for one
/// on another replica (zero: the database on every request). The request's pooled database
/// context is leased only when the session cache misses.
/// </summary>
public sealed class RequestAuthenticator(AccessTokens accessTokens, SessionStates sessions, Lazy<TenantryDbContext> db, TimeProvider clock)
{
    public async Task<Result<AuthenticatedSession>> AuthenticateAccessTokenAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || await accessTokens.ValidateAsync(token, cancellationToken) is not { } claims)
        {
            return new InvalidToken();
        }
        var session = await sessions.GetAsync(claims.SessionId, db);
        if (session is null || session.UserId != claims.UserId || !IsLive(session))
        {
            return new InvalidToken();
        }
        return Authenticated(claims.SessionId, session);
    }

    public async Task<Result<AuthenticatedSession>> AuthenticateSessionTokenAsync(string? token, CancellationToken cancellationToken)
    {
        if (!SessionTokens.TryParse(token, out var sessionId, out var secret))
        {
            return new InvalidToken();
        }
        var session = await sessions.GetAsync(sessionId, db);
        if (session is null || !IsLive(session) || !TokenHashing.HashEquals(session.TokenHash, secret))
        {
            return new InvalidToken();
        }
        return Authenticated(sessionId, session);
    }

    private static AuthenticatedSession Authenticated(string sessionId, SessionState session) =>
        new(session.UserId, sessionId, session.MfaVerifiedAt is not null, session.CreatedAt, session.UpdatedAt)
        {
            MembershipsVersion = session.MembershipsVersion,
        };

    private bool IsLive(SessionState session) => session.RevokedAt is null && session.ExpiresAt > clock.GetUtcNow().UtcDateTime;
}
