using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Tenantry.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

public static class TenantryServiceCollectionExtensions
{
    /// <summary>
    /// Trusts Tenantry's access tokens: ES256 JWTs validated offline (issuer, audience, lifetime, <c>typ at+jwt</c>)
    /// against <c>{Authority}/.well-known/jwks.json</c>, keys cached and re-read on rotation. The user id is the
    /// <c>sub</c> claim and the session id the <c>sid</c> claim. Adds the workspace policies
    /// (<c>RequireWorkspaceMember()</c>, <c>RequireWorkspacePermission("...")</c>). The bearer scheme becomes the default.
    /// </summary>
    public static AuthenticationBuilder AddTenantry(this IServiceCollection services, Action<TenantryAuthenticationOptions> configure)
    {
        var settings = new TenantryAuthenticationOptions();
        configure(settings);
        if (settings.Authority is null)
        {
            throw new InvalidOperationException("TenantryAuthenticationOptions.Authority must name the Tenantry server.");
        }
        var root = settings.Authority.AbsoluteUri.EndsWith('/') ? settings.Authority : new Uri(settings.Authority.AbsoluteUri + "/");
        services.Configure(configure);
        services.AddMemoryCache();
        services.AddHttpClient(TenantryWorkspaceAccess.HttpClientName, http => http.BaseAddress = root);
        services.TryAddSingleton<TenantryWorkspaceAccess>();
        services.AddSingleton<IAuthorizationHandler, TenantryWorkspaceHandler>();
        services.Replace(ServiceDescriptor.Singleton<IAuthorizationMiddlewareResultHandler, TenantryAuthorizationResultHandler>());
        services.AddAuthorization();

        var https = root.Scheme == Uri.UriSchemeHttps;
        return services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.RequireHttpsMetadata = https;
            var jwks = new Uri(root, ".well-known/jwks.json").AbsoluteUri;
            jwt.Events = new TenantryJwtEvents(jwks, https, settings.JwksMinimumRefreshInterval);
            jwt.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                jwks, new TenantryJwksRetriever(), new HttpDocumentRetriever { RequireHttps = https })
            {
                AutomaticRefreshInterval = settings.JwksRefreshInterval,
                RefreshInterval = settings.JwksMinimumRefreshInterval,
            };
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = settings.Issuer,
                ValidAudience = settings.Audience,
                ValidTypes = ["at+jwt"],
                ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
                NameClaimType = "sub",
                ClockSkew = TimeSpan.FromSeconds(30),
            };
        });
    }
}
