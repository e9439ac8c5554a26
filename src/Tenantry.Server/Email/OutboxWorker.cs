using Microsoft.Extensions.Options;
using Tenantry.Application.Outbox;

namespace Tenantry.Server.Email;

/// <summary>
/// Delivers the outbox in the background: right after a use case signals a new message, and
/// every poll interval for retries that fall due. Errors (a database outage) are logged and the
/// loop goes on.
/// </summary>
public sealed partial class OutboxWorker(
    IServiceScopeFactory scopes, OutboxSignal signal, IOptions<OutboxOptions> options, ILogger<OutboxWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                int tried;
                do
                {
                    await using var scope = scopes.CreateAsyncScope();
                    tried = await scope.ServiceProvider.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(stoppingToken);
                }
                while (tried >= options.Value.BatchSize && !stoppingToken.IsCancellationRequested);
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFailed(logger, e);
                try
                {
                    await Task.Delay(options.Value.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outbox worker could not deliver messages; it tries again shortly")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
