using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenantry.Data;
using Tenantry.Data.Outbox;

namespace Tenantry.Application.Outbox;

/// <summary>Delivers one kind of outbox message (an email, a webhook...). Throwing means "try again later".</summary>
public interface IOutboxDeliverer
{
    string Kind { get; }

    Task<DeliveryOutcome> DeliverAsync(OutboxMessage message, CancellationToken cancellationToken);
}

public enum DeliveryOutcome
{
    Sent,

    /// <summary>Nothing to send any more (e.g. the invitation was revoked before its email went out).</summary>
    Obsolete,
}

/// <summary>Configuration: Tenantry:Outbox.</summary>
public sealed class OutboxOptions
{
    /// <summary>How often the worker looks for due messages when nothing wakes it earlier.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    public int BatchSize { get; set; } = 20;

    /// <summary>After this many failed attempts a message stays in the table, unsent, with its last error.</summary>
    public int MaxAttempts { get; set; } = 12;

    /// <summary>The first retry waits this long; each further one twice as long, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A claimed message that was neither sent nor failed within this time (a crashed replica) is tried again.</summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// One pass over the due outbox messages. Each message is claimed first (its next attempt
/// pushed past the claim timeout, conditionally on nobody else having done so), so several
/// replicas can run workers side by side and each message is delivered by one of them at a time.
/// A failure counts an attempt and schedules the next one with exponential backoff; nothing is
/// ever deleted, so a failing mail server never loses a message or the change that caused it.
/// </summary>
public sealed partial class OutboxDispatcher(
    TenantryDbContext db, IEnumerable<IOutboxDeliverer> deliverers, TimeProvider clock, IOptions<OutboxOptions> options, ILogger<OutboxDispatcher> logger)
{
    private const int MaxErrorLength = 2000;

    /// <summary>Delivers what is due; returns how many messages it tried.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.SentAt == null && m.NextAttemptAt <= now && m.Attempts < settings.MaxAttempts)
            .OrderBy(m => m.NextAttemptAt)
            .Take(settings.BatchSize)
            .ToListAsync(cancellationToken);
        var tried = 0;
        foreach (var message in due)
        {
            if (await ClaimAsync(message, now, settings, cancellationToken))
            {
                tried++;
                await DeliverAsync(message, settings, cancellationToken);
            }
        }
        return tried;
    }

    private async Task<bool> ClaimAsync(OutboxMessage message, DateTime now, OutboxOptions settings, CancellationToken cancellationToken)
    {
        var until = now + settings.ClaimTimeout;
        return await db.OutboxMessages
            .Where(m => m.Id == message.Id && m.SentAt == null && m.Attempts == message.Attempts && m.NextAttemptAt <= now)
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.NextAttemptAt, until), cancellationToken) == 1;
    }

    private async Task DeliverAsync(OutboxMessage message, OutboxOptions settings, CancellationToken cancellationToken)
    {
        try
        {
            var deliverer = deliverers.FirstOrDefault(d => d.Kind == message.Kind)
                ?? throw new InvalidOperationException($"No deliverer for outbox messages of kind '{message.Kind}'.");
            var outcome = await deliverer.DeliverAsync(message, cancellationToken);
            var sentAt = clock.GetUtcNow().UtcDateTime;
            string? note = outcome == DeliveryOutcome.Obsolete ? "obsolete: nothing to deliver any more" : null;
            await db.OutboxMessages.Where(m => m.Id == message.Id)
                .ExecuteUpdateAsync(m => m.SetProperty(x => x.SentAt, sentAt).SetProperty(x => x.LastError, note), CancellationToken.None);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var attempts = message.Attempts + 1;
            var next = clock.GetUtcNow().UtcDateTime + Backoff(attempts, settings);
            var error = $"{e.GetType().Name}: {e.Message}";
            if (error.Length > MaxErrorLength)
            {
                error = error[..MaxErrorLength];
            }
            await db.OutboxMessages.Where(m => m.Id == message.Id)
                .ExecuteUpdateAsync(m => m
                    .SetProperty(x => x.Attempts, attempts)
                    .SetProperty(x => x.NextAttemptAt, next)
                    .SetProperty(x => x.LastError, error), CancellationToken.None);
            if (attempts >= settings.MaxAttempts)
            {
                LogGaveUp(logger, message.Id, message.Kind, attempts, error);
            }
            else
            {
                LogFailed(logger, message.Id, message.Kind, attempts, next, error);
            }
        }
    }

    public static TimeSpan Backoff(int attempts, OutboxOptions settings)
    {
        var factor = Math.Pow(2, Math.Min(attempts - 1, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(settings.RetryBaseDelay.Ticks * factor, settings.RetryMaxDelay.Ticks));
        return delay < settings.RetryMaxDelay ? delay : settings.RetryMaxDelay;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {MessageId} ({Kind}) failed on attempt {Attempt}; next attempt at {NextAttempt:o}: {Error}")]
    private static partial void LogFailed(ILogger logger, string messageId, string kind, int attempt, DateTime nextAttempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {MessageId} ({Kind}) failed {Attempt} times and is no longer retried (it stays in the outbox; resending the invitation queues a new one): {Error}")]
    private static partial void LogGaveUp(ILogger logger, string messageId, string kind, int attempt, string error);
}
