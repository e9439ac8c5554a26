using Microsoft.Extensions.Options;
using Tenantry.Application.Webhooks;
using Tenantry.Application.Webhooks.Delivery;

namespace Tenantry.Server.Webhooks;

/// <summary>
/// Delivers webhooks in the background: as soon as deliveries are queued (the expander or a
/// replay wakes it) and every poll interval for retries that fall due. Up to
/// <see cref="WebhookOptions.MaxConcurrentEndpoints"/> endpoints at a time, each in its own scope
/// and lease. Errors (a database outage) are logged and the loop goes on.
/// </summary>
public sealed partial class WebhookDeliveryWorker(
    IServiceScopeFactory scopes, WebhookSignal signal, IOptions<WebhookOptions> options, ILogger<WebhookDeliveryWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                IReadOnlyList<string> due;
                await using (var scope = scopes.CreateAsyncScope())
                {
                    due = await scope.ServiceProvider.GetRequiredService<WebhookDispatcher>().DueEndpointsAsync(settings.MaxConcurrentEndpoints * 4, stoppingToken);
                }
                var attempted = 0;
                if (due.Count > 0)
                {
                    await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrentEndpoints, CancellationToken = stoppingToken },
                        async (endpointId, ct) =>
                        {
                            await using var scope = scopes.CreateAsyncScope();
                            Interlocked.Add(ref attempted, await scope.ServiceProvider.GetRequiredService<WebhookDispatcher>().DeliverAsync(endpointId, ct));
                        });
                }
                if (attempted == 0)
                {
                    await signal.WaitAsync(settings.PollInterval, stoppingToken);
                }
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
                    await Task.Delay(settings.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The webhook worker could not deliver; it tries again shortly")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
