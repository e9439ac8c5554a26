using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenantry.Data;
using Tenantry.Domain.Webhooks;

namespace Tenantry.Application.Webhooks.Delivery;

/// <summary>
/// Delivers the due deliveries of one endpoint at a time. A replica first leases the endpoint
/// (a conditional update that only one replica can win while the lease runs), so each delivery
/// is attempted by one replica and each endpoint has one delivery in flight. Within the lease
/// deliveries go out oldest event first; a failure pauses the endpoint (exponential backoff) and
/// schedules that delivery's retry, and the next pass starts again from the oldest due delivery.
/// A replica that dies holding a lease loses nothing: the lease runs out and the delivery that was
/// in flight (never marked delivered) is attempted again, with the same <c>webhook-id</c>.
/// </summary>
public sealed partial class WebhookDispatcher(
    TenantryDbContext db, WebhookSecrets secrets, IWebhookSender sender, WebhookPace pace, TimeProvider clock, IOptions<WebhookOptions> options,
    ILogger<WebhookDispatcher> logger)
{
    /// <summary>Deliveries read (in order) and sent one after the other before the endpoint is read again.</summary>
    private const int Chunk = 20;

    /// <summary>Enabled endpoints, not leased and not paused, with a delivery due now.</summary>
    public async Task<IReadOnlyList<string>> DueEndpointsAsync(int limit, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.WebhookEndpoints.AsNoTracking()
            .Where(e => e.Enabled && (e.LeaseUntil == null || e.LeaseUntil < now) && (e.PausedUntil == null || e.PausedUntil <= now))
            .Where(e => db.WebhookDeliveries.Any(d => d.EndpointId == e.Id && d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now))
            .OrderBy(e => e.Id)
            .Select(e => e.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Leases <paramref name="endpointId"/> and delivers its due deliveries in order; returns how many were attempted.</summary>
    public async Task<int> DeliverAsync(string endpointId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var lease = Guid.NewGuid().ToString("N");
        var now = clock.GetUtcNow().UtcDateTime;
        var leaseUntil = now + settings.LeaseDuration;
        var claimed = await db.WebhookEndpoints
            .Where(e => e.Id == endpointId && e.Enabled && (e.LeaseUntil == null || e.LeaseUntil < now) && (e.PausedUntil == null || e.PausedUntil <= now))
            .ExecuteUpdateAsync(e => e.SetProperty(x => x.LeaseOwner, lease).SetProperty(x => x.LeaseUntil, leaseUntil), cancellationToken);
        if (claimed != 1)
        {
            return 0;
        }
        var attempted = 0;
        try
        {
            while (attempted < settings.BatchPerEndpoint && !cancellationToken.IsCancellationRequested)
            {
                now = clock.GetUtcNow().UtcDateTime;
                // Read again each chunk: a change of URL, secret or enabled applies from the next chunk on.
                var endpoint = await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == endpointId, cancellationToken);
                if (endpoint is not { Enabled: true } || endpoint.LeaseOwner != lease)
                {
                    break;
                }
                var due = await db.WebhookDeliveries.AsNoTracking()
                    .Where(d => d.EndpointId == endpointId && d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now)
                    .OrderBy(d => d.EventAt).ThenBy(d => d.EventOrdinal).ThenBy(d => d.EventId)
                    .Take(Math.Min(Chunk, settings.BatchPerEndpoint - attempted))
                    .ToListAsync(cancellationToken);
                if (due.Count == 0)
                {
                    break;
                }
                var signWith = endpoint.SigningSecrets(now).Select(secrets.Reveal).ToList();
                var failed = false;
                foreach (var delivery in due)
                {
                    await pace.WaitAsync(cancellationToken);
                    if (clock.GetUtcNow().UtcDateTime + settings.Timeout + settings.Timeout > leaseUntil)
                    {
                        // Not enough lease left for one more attempt: renew it, if it is still ours.
                        leaseUntil = clock.GetUtcNow().UtcDateTime + settings.LeaseDuration;
                        if (await RenewAsync(endpointId, lease, leaseUntil, cancellationToken) != 1)
                        {
                            failed = true;
                            break;
                        }
                    }
                    attempted++;
                    var response = await sender.SendAsync(new WebhookRequest(endpoint.Url, delivery.Id, delivery.Payload, signWith), cancellationToken);
                    if (!response.Succeeded)
                    {
                        await RecordFailureAsync(endpoint, delivery, response, settings, cancellationToken);
                        failed = true;
                        break;
                    }
                    await RecordSuccessAsync(endpoint, delivery, response, cancellationToken);
                    endpoint = endpoint.ConsecutiveFailures > 0 || endpoint.FailingSince is not null
                        ? await db.WebhookEndpoints.AsNoTracking().FirstAsync(e => e.Id == endpointId, CancellationToken.None)
                        : endpoint;
                }
                if (failed || due.Count < Chunk)
                {
                    break;
                }
            }
        }
        finally
        {
            await db.WebhookEndpoints.Where(e => e.Id == endpointId && e.LeaseOwner == lease)
                .ExecuteUpdateAsync(e => e.SetProperty(x => x.LeaseOwner, (string?)null).SetProperty(x => x.LeaseUntil, (DateTime?)null), CancellationToken.None);
        }
        return attempted;
    }

    private Task<int> RenewAsync(string endpointId, string lease, DateTime until, CancellationToken cancellationToken) =>
        db.WebhookEndpoints.Where(e => e.Id == endpointId && e.LeaseOwner == lease)
            .ExecuteUpdateAsync(e => e.SetProperty(x => x.LeaseUntil, until), cancellationToken);

    private async Task RecordSuccessAsync(WebhookEndpoint endpoint, WebhookDelivery delivery, WebhookResponse response, CancellationToken cancellationToken)
    {
        var at = clock.GetUtcNow().UtcDateTime;
        var body = Truncate(response.Body, WebhookDelivery.MaxResponseLength);
        var duration = Milliseconds(response.Duration);
        // Not cancellable: the attempt happened, and forgetting it would send it again.
        await db.WebhookDeliveries.Where(d => d.Id == delivery.Id)
            .ExecuteUpdateAsync(d => d
                .SetProperty(x => x.Status, WebhookDeliveryStatus.Delivered)
                .SetProperty(x => x.Attempts, x => x.Attempts + 1)
                .SetProperty(x => x.LastAttemptAt, at)
                .SetProperty(x => x.DeliveredAt, at)
                .SetProperty(x => x.LastStatusCode, response.StatusCode)
                .SetProperty(x => x.LastDurationMs, duration)
                .SetProperty(x => x.LastError, (string?)null)
                .SetProperty(x => x.LastResponseBody, body), CancellationToken.None);
        if (endpoint.ConsecutiveFailures > 0 || endpoint.FailingSince is not null)
        {
            await db.WebhookEndpoints.Where(e => e.Id == endpoint.Id)
                .ExecuteUpdateAsync(e => e
                    .SetProperty(x => x.ConsecutiveFailures, 0)
                    .SetProperty(x => x.FailingSince, (DateTime?)null)
                    .SetProperty(x => x.PausedUntil, (DateTime?)null), CancellationToken.None);
        }
    }

    private async Task RecordFailureAsync(
        WebhookEndpoint endpoint, WebhookDelivery delivery, WebhookResponse response, WebhookOptions settings, CancellationToken cancellationToken)
    {
        var at = clock.GetUtcNow().UtcDateTime;
        var attempts = delivery.Attempts + 1;
        var error = Truncate(response.Error ?? $"The endpoint answered {response.StatusCode}", WebhookDelivery.MaxErrorLength)!;
        var body = Truncate(response.Body, WebhookDelivery.MaxResponseLength);
        var duration = Milliseconds(response.Duration);
        var next = at + WebhookSchedule.WithJitter(attempts, settings);
        var giveUp = next > delivery.ScheduledAt + settings.GiveUpAfter;
        var gone = response.StatusCode == 410;
        var status = giveUp || gone ? WebhookDeliveryStatus.Failed : WebhookDeliveryStatus.Pending;
        if (giveUp && !gone)
        {
            error = Truncate($"Given up after {attempts} attempts: {error}", WebhookDelivery.MaxErrorLength)!;
        }
        await db.WebhookDeliveries.Where(d => d.Id == delivery.Id)
            .ExecuteUpdateAsync(d => d
                .SetProperty(x => x.Status, status)
                .SetProperty(x => x.Attempts, x => x.Attempts + 1)
                .SetProperty(x => x.LastAttemptAt, at)
                .SetProperty(x => x.NextAttemptAt, next)
                .SetProperty(x => x.LastStatusCode, response.StatusCode)
                .SetProperty(x => x.LastDurationMs, duration)
                .SetProperty(x => x.LastError, error)
                .SetProperty(x => x.LastResponseBody, body), CancellationToken.None);
        if (status == WebhookDeliveryStatus.Failed)
        {
            LogGaveUp(logger, delivery.Id, endpoint.Id, attempts, error);
        }

        var failingSince = endpoint.FailingSince ?? at;
        string? disable = null;
        if (gone)
        {
            disable = "The endpoint answered 410 Gone: it asked not to receive deliveries any more.";
        }
        else if (at - failingSince >= settings.DisableAfter)
        {
            disable = $"Every delivery attempt failed since {failingSince.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}; the last one: {error}";
        }
        var failures = endpoint.ConsecutiveFailures + 1;
        var pausedUntil = at + WebhookSchedule.WithJitter(failures, settings);
        await db.WebhookEndpoints.Where(e => e.Id == endpoint.Id)
            .ExecuteUpdateAsync(e => e
                .SetProperty(x => x.ConsecutiveFailures, failures)
                .SetProperty(x => x.FailingSince, failingSince)
                .SetProperty(x => x.PausedUntil, pausedUntil), CancellationToken.None);
        if (disable is not null)
        {
            await WebhookEndpoints.DisableAsync(db, endpoint.Id, disable, clock.GetUtcNow(), CancellationToken.None);
            LogDisabled(logger, endpoint.Id, disable);
        }
        else
        {
            LogFailed(logger, delivery.Id, endpoint.Id, attempts, error);
        }
    }

    private static int Milliseconds(TimeSpan duration) => (int)Math.Min(int.MaxValue, Math.Round(duration.TotalMilliseconds));

    private static string? Truncate(string? text, int max) => text is { Length: var n } && n > max ? text[..max] : text;

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId} to endpoint {EndpointId} failed on attempt {Attempt}: {Error}")]
    private static partial void LogFailed(ILogger logger, string deliveryId, string endpointId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} to endpoint {EndpointId} is given up after {Attempt} attempts: {Error}")]
    private static partial void LogGaveUp(ILogger logger, string deliveryId, string endpointId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} was disabled: {Reason}")]
    private static partial void LogDisabled(ILogger logger, string endpointId, string reason);
}

/// <summary>Changes to an endpoint's state that the worker and the use cases share.</summary>
public static class WebhookEndpoints
{
    public const string DisabledError = "The endpoint was disabled before this delivery went out";

    /// <summary>Disables the endpoint with <paramref name="reason"/> (if it is enabled) and fails its pending deliveries; they can be replayed once it is enabled again.</summary>
    public static async Task DisableAsync(TenantryDbContext db, string endpointId, string? reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var at = now.UtcDateTime;
        var text = reason is { Length: > WebhookEndpoint.MaxReasonLength } ? reason[..WebhookEndpoint.MaxReasonLength] : reason;
        await db.WebhookEndpoints.Where(e => e.Id == endpointId && e.Enabled)
            .ExecuteUpdateAsync(e => e
                .SetProperty(x => x.Enabled, false)
                .SetProperty(x => x.DisabledReason, text)
                .SetProperty(x => x.DisabledAt, at)
                .SetProperty(x => x.UpdatedAt, at), cancellationToken);
        await FailPendingAsync(db, endpointId, DisabledError, cancellationToken);
    }

    public static Task<int> FailPendingAsync(TenantryDbContext db, string endpointId, string error, CancellationToken cancellationToken) =>
        db.WebhookDeliveries.Where(d => d.EndpointId == endpointId && d.Status == WebhookDeliveryStatus.Pending)
            .ExecuteUpdateAsync(d => d.SetProperty(x => x.Status, WebhookDeliveryStatus.Failed).SetProperty(x => x.LastError, error), cancellationToken);
}
