using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Tenantry.Application.Accounts;

/// <summary>An action limited per account (the subject: a normalized email, or a user id).</summary>
public enum ThrottledAction
{
    /// <summary>Sign-in attempts per email, known or not.</summary>
    SignIn,

    /// <summary>Second-factor codes per user: sign-in challenges, step-up, confirm, disable.</summary>
    MfaVerification,

    /// <summary>Invitation emails per inviting user: new invitations and resends.</summary>
    InvitationCreation,

    /// <summary>Verification emails sent again at a user's request.</summary>
    EmailVerificationResend,

    /// <summary>Password reset emails per address, known or not (the limits of <see cref="EmailVerificationResend"/>).</summary>
    PasswordResetEmail,
}

/// <summary>
/// Limits actions per account (the per-IP limits are the host's rate-limiting policies).
/// Counts every attempt, successful or not, so that guessing one account's secret from many
/// addresses is slowed as much as from one. Limits are per replica: N replicas allow at most
/// N times the configured rate; the persisted <see cref="Lockouts.AuthLockouts"/> hold across replicas.
/// </summary>
public sealed class AccountThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<(ThrottledAction Action, string Subject)> _limiter;

    public AccountThrottle(IOptions<AuthOptions> options)
    {
        var settings = options.Value;
        _limiter = PartitionedRateLimiter.Create<(ThrottledAction Action, string Subject), (ThrottledAction, string)>(key =>
        {
            var (limit, window) = key.Action switch
            {
                ThrottledAction.SignIn => (settings.SignInAttemptsPerAccount, settings.SignInAccountWindow),
                ThrottledAction.MfaVerification => (settings.MfaAttemptsPerAccount, settings.MfaAccountWindow),
                ThrottledAction.EmailVerificationResend or ThrottledAction.PasswordResetEmail => (settings.VerificationResendsPerAccount, settings.VerificationResendsPerAccountWindow),
                _ => (settings.InvitationsPerAccount, settings.InvitationsPerAccountWindow),
            };
            return RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = limit,
                Window = window,
                SegmentsPerWindow = 5,
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
    }

    /// <summary>Null when the attempt may proceed, else how long to wait.</summary>
    public TimeSpan? TryAcquire(ThrottledAction action, string subject)
    {
        using var lease = _limiter.AttemptAcquire((action, subject));
        if (lease.IsAcquired)
        {
            return null;
        }
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
    }

    public void Dispose() => _limiter.Dispose();
}
