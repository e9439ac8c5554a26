using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace Tenantry.AspNetCore;

/// <summary>
/// A token signed with a key the cached JWKS does not hold yet (Tenantry rotated, and this API last read
/// the keys before the new one was published) is not refused: the key set is read again at once (at most
/// once per <see cref="TenantryAuthenticationOptions.JwksMinimumRefreshInterval"/>) and the token validated
/// against it; the configuration manager is told to refresh too.
/// </summary>
internal sealed class TenantryJwtEvents(string jwksAddress, bool requireHttps, TimeSpan minimumInterval) : JwtBearerEvents
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private DateTimeOffset _lastFetch = DateTimeOffset.MinValue;
    private IReadOnlyList<SecurityKey> _fetched = [];

    public override async Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        if (context.Exception is not SecurityTokenSignatureKeyNotFoundException)
        {
            return;
        }
        context.Options.ConfigurationManager?.RequestRefresh();
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        var keys = await FreshKeysAsync(context.HttpContext.RequestAborted);
        var parameters = context.Options.TokenValidationParameters.Clone();
        parameters.IssuerSigningKeys = keys;
        var result = await _handler.ValidateTokenAsync(header[7..].Trim(), parameters);
        if (result.IsValid)
        {
            context.Principal = new System.Security.Claims.ClaimsPrincipal(result.ClaimsIdentity);
            context.Success();
        }
    }

    private async Task<IReadOnlyList<SecurityKey>> FreshKeysAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (DateTimeOffset.UtcNow - _lastFetch >= minimumInterval)
            {
                var configuration = await new TenantryJwksRetriever().GetConfigurationAsync(jwksAddress, new HttpDocumentRetriever { RequireHttps = requireHttps }, cancellationToken);
                _fetched = [.. configuration.SigningKeys];
                _lastFetch = DateTimeOffset.UtcNow;
            }
            return _fetched;
        }
        finally
        {
            _gate.Release();
        }
    }
}
