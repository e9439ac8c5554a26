using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Tenantry.Application.Webhooks.Delivery;

/// <summary>
/// Paces this replica's delivery attempts to <see cref="WebhookOptions.MaxDeliveriesPerSecond"/>
/// (a token bucket holding one second's worth), so that draining a backlog (a bulk change, a
/// receiver back after an outage) takes a bounded share of the CPU that serves requests instead
/// of all it can get. Zero leaves attempts unpaced.
/// </summary>
public sealed class WebhookPace : IDisposable
{
    private readonly TokenBucketRateLimiter? _bucket;

    public WebhookPace(IOptions<WebhookOptions> options)
        : this(options.Value.MaxDeliveriesPerSecond, autoReplenishment: true)
    {
    }

    /// <summary>For tests: without automatic replenishment the bucket refills only when <see cref="Replenish"/> is called.</summary>
    public WebhookPace(int perSecond, bool autoReplenishment)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(perSecond);
        if (perSecond == 0)
        {
            return;
        }
        // About ten refills a second: smooth, without a timer firing per token.
        var tokensPerPeriod = Math.Max(1, (perSecond + 9) / 10);
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = perSecond,
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = TimeSpan.FromTicks(TimeSpan.TicksPerSecond * tokensPerPeriod / perSecond),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = autoReplenishment,
        });
    }

    /// <summary>Waits until this replica may make one more attempt.</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        if (_bucket is null)
        {
            return;
        }
        using var lease = await _bucket.AcquireAsync(1, cancellationToken);
    }

    public bool Replenish() => _bucket?.TryReplenish() ?? false;

    public void Dispose() => _bucket?.Dispose();
}
