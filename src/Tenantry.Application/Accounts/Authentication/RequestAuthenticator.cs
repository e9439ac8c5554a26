using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
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
/// on another replica (zero: the database on every request). The request's database context
/// (<paramref name="db"/> of each method) is leased only when the session cache misses.
/// </summary>
/// <remarks>
/// One instance serves every request (it holds no request state), so the hot path resolves
/// nothing from the request's services. A cached session snapshot always gives the same
/// <see cref="AuthenticatedSession"/> instance, so what the caller derives from it (the
/// principal) can be kept with it.
/// </remarks>
public sealed class RequestAuthenticator(AccessTokens accessTokens, SessionStates sessions, TimeProvider clock)
{
    private readonly ConditionalWeakTable<SessionState, AuthenticatedSession> _authenticated = new();

    public async ValueTask<Result<AuthenticatedSession>> AuthenticateAccessTokenAsync(ReadOnlyMemory<char> token, Lazy<TenantryDbContext> db, CancellationToken cancellationToken)
    {
        if (token.IsEmpty || await accessTokens.ValidateAsync(token, cancellationToken) is not { } claims)
        {
            return new InvalidToken();
        }
        var session = await sessions.GetAsync(claims.SessionId, db);
        if (session is null || session.UserId != claims.UserId || !IsLive(session))
        {
            return new InvalidToken();
        }
        return Authenticated(session);
    }

    /// <summary>For a caller outside the authentication handler (the console, a sign-in answering with the session it made): the request's context is taken from its services.</summary>
    public ValueTask<Result<AuthenticatedSession>> AuthenticateSessionTokenAsync(string? token, IServiceProvider requestServices, CancellationToken cancellationToken) =>
        AuthenticateSessionTokenAsync(token, requestServices.GetRequiredService<Lazy<TenantryDbContext>>(), cancellationToken);

    public async ValueTask<Result<AuthenticatedSession>> AuthenticateSessionTokenAsync(string? token, Lazy<TenantryDbContext> db, CancellationToken cancellationToken)
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
        return Authenticated(session);
    }

    // The session snapshot was found by its id, so its Id is the one the credential named.
    private AuthenticatedSession Authenticated(SessionState session) =>
        _authenticated.GetValue(session, static s => new(s.UserId, s.Id, s.MfaVerifiedAt is not null, s.CreatedAt, s.UpdatedAt)
        {
            MembershipsVersion = s.MembershipsVersion,
        });

    private bool IsLive(SessionState session) => session.RevokedAt is null && session.ExpiresAt > clock.GetUtcNow().UtcDateTime;
}
