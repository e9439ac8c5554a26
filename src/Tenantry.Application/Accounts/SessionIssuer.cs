using Microsoft.Extensions.Options;
using Tenantry.Application.Accounts.Tokens;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts;

/// <summary>What sign-up, sign-in and refresh hand back: tokens of one session.</summary>
public sealed record AuthTokens(
    string UserId,
    string SessionId,
    string AccessToken,
    string RefreshToken,
    TimeSpan AccessTokenLifetime,
    string SessionToken,
    DateTime SessionExpiresAt);

/// <summary>
/// Starts sessions and mints their tokens: an access token (JWT), a refresh token and a
/// session token (<c>{sessionId}.{secret}</c>, the <c>__session</c> cookie). Only hashes
/// of the secrets are stored.
/// </summary>
public sealed class SessionIssuer(AccessTokens accessTokens, IOptions<AuthOptions> options, TimeProvider clock)
{
    /// <summary>
    /// Adds a new session (and its first refresh token) to <paramref name="db"/>; the caller saves.
    /// <paramref name="mfaVerified"/>: the sign-in proved a second factor as well.
    /// </summary>
    public async Task<AuthTokens> StartAsync(
        TenantryDbContext db, UserAccount user, RequestOrigin origin, CancellationToken cancellationToken, bool mfaVerified = false)
    {
        var now = clock.GetUtcNow();
        var sessionSecret = TokenHashing.NewSecret();
        var sessionId = EntityId.New(EntityId.Session, now);
        var session = Session.Start(sessionId, user.Id, TokenHashing.Hash(sessionSecret), options.Value.SessionLifetime,
            origin.ClientIpText, origin.UserAgent, now);
        if (mfaVerified)
        {
            session.MarkMfaVerified(now);
        }
        db.Sessions.Add(session);
        return await MintAsync(db, session, SessionTokens.Compose(sessionId, sessionSecret), cancellationToken);
    }

    /// <summary>Adds the next refresh token of <paramref name="session"/> and a fresh access token.</summary>
    public async Task<AuthTokens> ContinueAsync(TenantryDbContext db, Session session, CancellationToken cancellationToken) =>
        await MintAsync(db, session, sessionToken: null, cancellationToken);

    private async Task<AuthTokens> MintAsync(TenantryDbContext db, Session session, string? sessionToken, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var refreshToken = "rt_" + TokenHashing.NewSecret();
        db.RefreshTokens.Add(RefreshToken.Issue(TokenHashing.Hash(refreshToken), session.Id, session.ExpiresAt, now));
        var accessToken = await accessTokens.IssueAsync(session.UserId, session.Id, session.IsMfaVerified, cancellationToken);
        return new AuthTokens(session.UserId, session.Id, accessToken, refreshToken, accessTokens.Lifetime,
            sessionToken ?? string.Empty, session.ExpiresAt);
    }
}

/// <summary>The session token's wire form: <c>{sessionId}.{secret}</c>.</summary>
public static class SessionTokens
{
    public static string Compose(string sessionId, string secret) => $"{sessionId}.{secret}";

    public static bool TryParse(string? token, out string sessionId, out string secret)
    {
        sessionId = secret = string.Empty;
        var dot = token?.IndexOf('.') ?? -1;
        if (token is null || dot <= 0 || dot == token.Length - 1 || token.Length > 200)
        {
            return false;
        }
        sessionId = token[..dot];
        secret = token[(dot + 1)..];
        return EntityId.LooksValid(sessionId, EntityId.Session);
    }
}
