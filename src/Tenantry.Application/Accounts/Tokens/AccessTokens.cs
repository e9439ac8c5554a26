using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Tenantry.Application.Accounts.Tokens;

/// <summary>What a valid access token says. Whether its session is still alive is checked separately, per request.</summary>
public sealed record AccessTokenClaims(string UserId, string SessionId, bool MfaVerified, DateTimeOffset ExpiresAt);

/// <summary>
/// Issues and verifies ES256 access tokens (JWT, <c>typ: at+jwt</c>, RFC 9068).
/// Verifying an ES256 signature costs far more than the rest of a typical request, so a
/// verified token is remembered (keyed by its exact text) until it expires: the same bytes
/// cannot carry a different signature, and expiry is still enforced. Revocation does not
/// depend on this cache; the session is checked on every request.
/// </summary>
public sealed class AccessTokens
{
    public const string TokenType = "at+jwt";
    public const string SessionIdClaim = "sid";
    public const string AuthMethodsClaim = "amr";
    public const string PasswordMethod = "pwd";
    public const string OneTimePasswordMethod = "otp";

    private readonly SigningKeyRing _keys;
    private readonly AuthOptions _options;
    private readonly TimeProvider _clock;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false, MaximumTokenSizeInBytes = 8 * 1024 };
    private readonly VerifiedTokens _verified = new(maxEntries: 100_000);

    public AccessTokens(SigningKeyRing keys, IOptions<AuthOptions> options, TimeProvider clock)
    {
        _keys = keys;
        _options = options.Value;
        _clock = clock;
    }

    public TimeSpan Lifetime => _options.AccessTokenLifetime;

    public async Task<string> IssueAsync(string userId, string sessionId, bool mfaVerified, CancellationToken cancellationToken)
    {
        var ring = await _keys.GetAsync(cancellationToken);
        var now = _clock.GetUtcNow();
        string[] methods = mfaVerified ? [PasswordMethod, OneTimePasswordMethod] : [PasswordMethod];
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = TokenType,
            Issuer = _options.Issuer,
            Audience = _options.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + _options.AccessTokenLifetime).UtcDateTime,
            SigningCredentials = ring.Signing,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = userId,
                [SessionIdClaim] = sessionId,
                [AuthMethodsClaim] = methods,
                [JwtRegisteredClaimNames.Jti] = TokenHashing.NewSecret()[..22],
            },
        });
    }

    /// <summary>The token's claims, or null when it is malformed, tampered, expired or not ours.</summary>
    public async ValueTask<AccessTokenClaims?> ValidateAsync(ReadOnlyMemory<char> token, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        if (_verified.TryGet(token.Span, out var cached))
        {
            return cached.ExpiresAt + _options.ClockSkew > now ? cached : null;
        }

        // Only a token not seen before becomes a string of its own.
        var text = token.ToString();
        var ring = await _keys.GetAsync(cancellationToken);
        var result = await _handler.ValidateTokenAsync(text, Parameters(ring));
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            ring = await _keys.RefreshForUnknownKeyAsync(cancellationToken);
            result = await _handler.ValidateTokenAsync(text, Parameters(ring));
        }
        if (!result.IsValid || ToClaims(result) is not { } claims)
        {
            return null;
        }

        _verified.Add(text, claims, expiredBefore: now - _options.ClockSkew);
        return claims;
    }

    private TokenValidationParameters Parameters(KeyRingSnapshot ring) => new()
    {
        ValidIssuer = _options.Issuer,
        ValidAudience = _options.Audience,
        IssuerSigningKeys = ring.VerificationKeys,
        ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        ValidTypes = [TokenType],
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ClockSkew = _options.ClockSkew,
        TryAllIssuerSigningKeys = false,
        LifetimeValidator = ValidateLifetime,
    };

    // Uses the injected clock (tests move it) rather than DateTime.UtcNow.
    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        return expires is { } exp && exp + parameters.ClockSkew > now && (notBefore is not { } nbf || nbf - parameters.ClockSkew <= now);
    }

    private static AccessTokenClaims? ToClaims(TokenValidationResult result)
    {
        var identity = result.ClaimsIdentity;
        var subject = identity.FindFirst(JwtRegisteredClaimNames.Sub)?.Value;
        var session = identity.FindFirst(SessionIdClaim)?.Value;
        if (string.IsNullOrEmpty(subject) || string.IsNullOrEmpty(session) || result.SecurityToken is not JsonWebToken jwt)
        {
            return null;
        }
        var mfa = identity.FindAll(AuthMethodsClaim).Any(c => c.Value == OneTimePasswordMethod);
        return new AccessTokenClaims(subject, session, mfa, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero));
    }
}

/// <summary>Claims the dialects put on the authenticated principal.</summary>
public static class TenantryClaims
{
    public const string UserId = "sub";
    public const string SessionId = "sid";
    public const string MfaVerified = "mfa";

    public static ClaimsPrincipal Principal(string scheme, string userId, string sessionId, bool mfaVerified) =>
        new(new ClaimsIdentity(
            [new Claim(UserId, userId), new Claim(SessionId, sessionId), new Claim(MfaVerified, mfaVerified ? "true" : "false")],
            scheme, UserId, null));
}
