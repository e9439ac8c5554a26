using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Application.Outbox;
using Tenantry.Data;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.EmailVerification.Resend;

/// <summary>Where the new verification email goes and until when its link and code work.</summary>
public sealed record VerificationSent(string Email, DateTime ExpiresAt);

/// <summary>
/// Sends the caller a new verification email; the link and code of every earlier one stop
/// working. Limited per account here (the host also limits per client IP). An account that is
/// verified already gets <see cref="EmailAlreadyVerified"/>.
/// </summary>
public sealed class ResendVerificationHandler(
    TenantryDbContext db, EmailVerifications verifications, AccountThrottle throttle, OutboxSignal outbox, TimeProvider clock)
{
    public async Task<Result<VerificationSent>> HandleAsync(Caller caller, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == caller.UserId, cancellationToken);
        if (user.EmailVerified)
        {
            return new EmailAlreadyVerified();
        }
        if (throttle.TryAcquire(ThrottledAction.EmailVerificationResend, caller.UserId) is { } retryAfter)
        {
            return new RateLimited(retryAfter);
        }
        var now = clock.GetUtcNow();
        return await db.InTransactionAsync<Result<VerificationSent>>(async transaction =>
        {
            var expiresAt = await verifications.ReissueAsync(user, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            outbox.Notify();
            return new VerificationSent(user.Email, expiresAt);
        }, cancellationToken);
    }
}
