namespace Tenantry.Application.Webhooks.Delivery;

/// <summary>The retry schedule: exponential backoff with jitter, capped, within the give-up window.</summary>
public static class WebhookSchedule
{
    /// <summary>The delay before retry number <paramref name="failures"/> (1 after the first failure), without jitter.</summary>
    public static TimeSpan Backoff(int failures, WebhookOptions options)
    {
        var factor = Math.Pow(2, Math.Clamp(failures - 1, 0, 40));
        var ticks = Math.Min(options.RetryBaseDelay.Ticks * factor, options.RetryMaxDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    /// <summary><see cref="Backoff"/> moved at random by up to <see cref="WebhookOptions.RetryJitter"/> either way.</summary>
    public static TimeSpan WithJitter(int failures, WebhookOptions options)
    {
        var delay = Backoff(failures, options);
        var jitter = Math.Clamp(options.RetryJitter, 0, 1);
        var factor = 1 + ((Random.Shared.NextDouble() * 2) - 1) * jitter;
        return TimeSpan.FromTicks((long)(delay.Ticks * factor));
    }
}
