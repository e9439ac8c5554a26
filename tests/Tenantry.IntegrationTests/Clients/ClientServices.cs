using Microsoft.Extensions.DependencyInjection;
using Tenantry.Client;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Clients;

/// <summary>A product's service provider with Tenantry.Client and its operator client registered against the test server.</summary>
internal static class ClientServices
{
    public static ServiceProvider For(TenantryApp app, Action<TenantryClientOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddTenantryClient(o =>
        {
            o.BaseAddress = app.BaseAddress;
            o.PortalAccessCode = TenantryApp.PortalCode;
            configure?.Invoke(o);
        });
        services.AddTenantryAdminClient(o =>
        {
            o.BaseAddress = app.BaseAddress;
            o.AdminApiKey = TenantryApp.AdminKey;
        });
        return services.BuildServiceProvider();
    }
}
