using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Accounts;
using Tenantry.Data;

namespace Tenantry.Application.Security;

/// <summary>
/// Deletes security records nobody can use any more: expired channels (with their IVs), MFA challenges, email
/// verifications and password resets, forgotten lockouts, and the record of spent single-use tokens once the tokens
/// themselves have expired (their own signed expiry refuses them from then on).
/// </summary>
public static class ExpiredRecords
{
    /// <summary>Expired rows are kept this long, for investigation, before they go.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromDays(1);

    public static async Task<int> SweepAsync(TenantryDbContext db, AuthOptions auth, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expiredBefore = (now - Grace).UtcDateTime;
        var forgottenBefore = (now - auth.LockoutMemory).UtcDateTime;
        var utcNow = now.UtcDateTime;
        return await db.SecureChannels.Where(c => c.ExpiresAt < expiredBefore).ExecuteDeleteAsync(cancellationToken)
            + await db.MfaChallenges.Where(c => c.ExpiresAt < expiredBefore).ExecuteDeleteAsync(cancellationToken)
            + await db.EmailVerifications.Where(v => v.ExpiresAt < expiredBefore).ExecuteDeleteAsync(cancellationToken)
            + await db.PasswordResets.Where(r => r.ExpiresAt < expiredBefore).ExecuteDeleteAsync(cancellationToken)
            + await db.SpentTokens.Where(t => t.ExpiresAt < utcNow).ExecuteDeleteAsync(cancellationToken)
            + await db.AuthLockouts.Where(l => l.LastFailureAt < forgottenBefore && (l.LockedUntil == null || l.LockedUntil < utcNow))
                .ExecuteDeleteAsync(cancellationToken);
    }
}
