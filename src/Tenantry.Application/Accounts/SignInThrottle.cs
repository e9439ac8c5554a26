using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Tenantry.Application.Accounts;

/// <summary>
/// Limits sign-in attempts per account (the per-IP limit is the host's rate-limiting
/// middleware). Counts every attempt, successful or not, so that guessing one account's
/// password from many addresses is slowed as much as from one.
/// Limits are per replica: N replicas allow at most N times the configured rate.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perAccount;

    public SignInThrottle(IOptions<AuthOptions> options)
    {
        var settings = options.Value;
        _perAccount = PartitionedRateLimiter.Create<string, string>(email =>
            RateLimitPartition.GetSlidingWindowLimiter(email, _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = settings.SignInAttemptsPerAccount,
                Window = settings.SignInAccountWindow,
                SegmentsPerWindow = 5,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>Null when the attempt may proceed, else how long to wait.</summary>
    public TimeSpan? TryAcquire(string normalizedEmail)
    {
        using var lease = _perAccount.AttemptAcquire(normalizedEmail);
        if (lease.IsAcquired)
        {
            return null;
        }
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
    }

    public void Dispose() => _perAccount.Dispose();
}
