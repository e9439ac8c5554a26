using Tenantry.Application.Accounts.Tokens;
using Tenantry.Application.Common;

namespace Tenantry.Application.Accounts.Sessions;

/// <summary>An access token of the caller's session and when it stops being accepted.</summary>
public sealed record SessionAccessToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>
/// An access token (the SYSTEM dialect's ES256 JWT) for the caller's live session, for a front end that holds only the
/// session cookie and calls its product's backend: the backend verifies it with the JWKS like any other access token.
/// It carries the session's MFA state and is refused once the session is revoked.
/// </summary>
public sealed class IssueSessionAccessTokenHandler(AccessTokens accessTokens, TimeProvider clock)
{
    public async Task<SessionAccessToken> HandleAsync(Caller caller, CancellationToken cancellationToken)
    {
        // Read before the token is made, so the time given is never later than the token's own expiry.
        var expiresAt = clock.GetUtcNow() + accessTokens.Lifetime;
        var token = await accessTokens.IssueAsync(caller.UserId, caller.SessionId, caller.MfaVerified, cancellationToken);
        return new SessionAccessToken(token, expiresAt);
    }
}
