using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Tenantry.Data;

namespace Tenantry.Server.Operability;

public static class Health
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddTenantryHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddDbContextCheck<TenantryDbContext>("database", tags: [ReadyTag]);
        return services;
    }

    /// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: and the database does too.</summary>
    public static void MapTenantryHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).ExcludeFromDescription();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) }).ExcludeFromDescription();
    }
}
