using Microsoft.Extensions.Options;
using Tenantry.Application.Accounts;
using Tenantry.Application.Security;
using Tenantry.Data;

namespace Tenantry.Server.Security;

/// <summary>Every few minutes, removes expired secure channels, MFA challenges, email verifications and forgotten lockouts. Harmless when several replicas do it.</summary>
public sealed partial class SecuritySweeper(
    IServiceScopeFactory scopes, IOptions<AuthOptions> auth, TimeProvider clock, ILogger<SecuritySweeper> logger) : BackgroundService
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(s_interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TenantryDbContext>();
                var removed = await ExpiredRecords.SweepAsync(db, auth.Value, clock.GetUtcNow(), stoppingToken);
                LogSwept(logger, removed);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Removed {Count} expired security records")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping expired security records failed; will retry")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
