using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tenantry.Data;
using Tenantry.Data.Providers;

namespace Tenantry.Server.Operability;

public static class Health
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddTenantryHealth(this IServiceCollection services)
    {
        services.AddSingleton<DatabaseReadyCheck>();
        services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: [ReadyTag]);
        return services;
    }

    /// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: and the database does too.</summary>
    public static void MapTenantryHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).ExcludeFromDescription();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) }).ExcludeFromDescription();
    }
}

/// <summary>
/// Ready when the database answers <c>SELECT 1</c> over the application's own connection pool
/// within the connect timeout. A database host that accepts connections but never answers
/// holds a PostgreSQL command far longer than that (the command timeout, then Npgsql's
/// cancel request to the same silent host), so the check stops waiting at its deadline and
/// reports not ready. Concurrent checks share one probe (a load balancer with several
/// checkers must not see "not ready" only because another check is in flight), and a probe
/// that has outlived its deadline is not started again while it still waits.
/// </summary>
public sealed class DatabaseReadyCheck(IServiceScopeFactory scopes, DatabaseOptions options, TimeProvider clock) : IHealthCheck
{
    private readonly Lock _gate = new();
    private Task? _probe;
    private long _probeStarted;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var deadline = TimeSpan.FromSeconds(options.ConnectTimeoutSeconds);
        Task probe;
        TimeSpan wait;
        lock (_gate)
        {
            if (_probe is not { IsCompleted: false })
            {
                _probe = ProbeAsync();
                _probeStarted = clock.GetTimestamp();
            }
            probe = _probe;
            wait = deadline - clock.GetElapsedTime(_probeStarted);
        }
        if (wait <= TimeSpan.Zero || await Task.WhenAny(probe, Task.Delay(wait, cancellationToken)) != probe)
        {
            return HealthCheckResult.Unhealthy($"The database did not answer within {deadline.TotalSeconds:0} s.");
        }
        try
        {
            await probe;
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (DatabaseErrors.IsUnavailable(e))
        {
            return HealthCheckResult.Unhealthy("The database is unavailable.", e);
        }
    }

    private async Task ProbeAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TenantryDbContext>();
        await db.Database.ExecuteSqlRawAsync("SELECT 1");
    }
}
