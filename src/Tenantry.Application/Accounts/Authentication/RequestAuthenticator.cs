using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Accounts.Tokens;
using Tenantry.Data;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.Authentication;

/// <summary>A request's proven identity: the user and a live session.</summary>
public sealed record AuthenticatedSession(string UserId, string SessionId, bool MfaVerified, DateTime SessionCreatedAt, DateTime SessionUpdatedAt);

/// <summary>
/// Turns a bearer credential into an <see cref="AuthenticatedSession"/>: an access token
/// (SYSTEM dialect) or a session token (Wacht dialect). Either way the session must exist,
/// be unexpired and not revoked, checked against the database on every request so that
/// sign-out takes effect at once on every replica.
/// </summary>
public sealed class RequestAuthenticator(AccessTokens accessTokens, TenantryDbContext db, TimeProvider clock)
{
    private static readonly Func<TenantryDbContext, string, Task<SessionRow?>> s_findSession =
        EF.CompileAsyncQuery((TenantryDbContext ctx, string id) => ctx.Sessions
            .Where(s => s.Id == id)
            .Select(s => new SessionRow(s.UserId, s.TokenHash, s.RevokedAt, s.ExpiresAt, s.MfaVerifiedAt, s.CreatedAt, s.UpdatedAt))
            .FirstOrDefault());

    public async Task<Result<AuthenticatedSession>> AuthenticateAccessTokenAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || await accessTokens.ValidateAsync(token, cancellationToken) is not { } claims)
        {
            return new InvalidToken();
        }
        var session = await s_findSession(db, claims.SessionId);
        if (session is null || session.UserId != claims.UserId || !IsLive(session))
        {
            return new InvalidToken();
        }
        return new AuthenticatedSession(claims.UserId, claims.SessionId, session.MfaVerifiedAt is not null, session.CreatedAt, session.UpdatedAt);
    }

    public async Task<Result<AuthenticatedSession>> AuthenticateSessionTokenAsync(string? token, CancellationToken cancellationToken)
    {
        if (!SessionTokens.TryParse(token, out var sessionId, out var secret))
        {
            return new InvalidToken();
        }
        var session = await s_findSession(db, sessionId);
        if (session is null || !IsLive(session) || !TokenHashing.HashEquals(session.TokenHash, secret))
        {
            return new InvalidToken();
        }
        return new AuthenticatedSession(session.UserId, sessionId, session.MfaVerifiedAt is not null, session.CreatedAt, session.UpdatedAt);
    }

    private bool IsLive(SessionRow session) => session.RevokedAt is null && session.ExpiresAt > clock.GetUtcNow().UtcDateTime;

    private sealed record SessionRow(
        string UserId, string TokenHash, DateTime? RevokedAt, DateTime ExpiresAt, DateTime? MfaVerifiedAt, DateTime CreatedAt, DateTime UpdatedAt);
}
