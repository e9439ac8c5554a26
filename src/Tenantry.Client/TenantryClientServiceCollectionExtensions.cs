using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tenantry.Client;

namespace Microsoft.Extensions.DependencyInjection;

public static class TenantryClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="TenantryClient"/> as a typed client of <see cref="IHttpClientFactory"/>, with the
    /// portal code, the language and the session's access token (refreshed when needed) on every request.
    /// The session's tokens live in <see cref="ITenantryTokenStore"/> (in memory unless you register your own).
    /// </summary>
    public static IHttpClientBuilder AddTenantryClient(this IServiceCollection services, Action<TenantryClientOptions> configure)
    {
        services.Configure(configure);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITenantryTokenStore, InMemoryTenantryTokenStore>();
        services.TryAddSingleton<TenantryTokenRefresher>();
        services.TryAddTransient<TenantryAuthHandler>();
        return services.AddHttpClient<TenantryClient>((provider, http) =>
                http.BaseAddress = TenantryClient.Root(provider.GetRequiredService<IOptions<TenantryClientOptions>>().Value.BaseAddress))
            .AddHttpMessageHandler<TenantryAuthHandler>();
    }

    /// <summary>Registers <see cref="TenantryAdminClient"/> (the operator API) as a typed client, with <c>X-Admin-Key</c> on every request.</summary>
    public static IHttpClientBuilder AddTenantryAdminClient(this IServiceCollection services, Action<TenantryAdminClientOptions> configure)
    {
        services.Configure(configure);
        services.TryAddTransient<TenantryAdminKeyHandler>();
        return services.AddHttpClient<TenantryAdminClient>((provider, http) =>
                http.BaseAddress = TenantryClient.Root(provider.GetRequiredService<IOptions<TenantryAdminClientOptions>>().Value.BaseAddress))
            .AddHttpMessageHandler<TenantryAdminKeyHandler>();
    }
}
