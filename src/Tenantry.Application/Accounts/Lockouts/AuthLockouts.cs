using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tenantry.Application.Accounts.Tokens;
using Tenantry.Data;
using Tenantry.Data.Providers;
using Tenantry.Data.Security;

namespace Tenantry.Application.Accounts.Lockouts;

/// <summary>Which secret a lockout guards.</summary>
public enum LockoutScope
{
    /// <summary>The password of an email address (known or not: both are counted alike).</summary>
    Password,

    /// <summary>The second factor of a user.</summary>
    SecondFactor,
}

/// <summary>Where a subject stands before an attempt.</summary>
public readonly record struct LockoutState(TimeSpan? RetryAfter, bool HasFailures)
{
    public static LockoutState Clear => default;
}

/// <summary>
/// Progressive lockout: after <see cref="AuthOptions.LockoutThreshold"/> consecutive failures
/// further attempts are refused (4290 with Retry-After) for <see cref="AuthOptions.LockoutBase"/>,
/// and every further failure doubles the wait up to <see cref="AuthOptions.LockoutMaximum"/>.
/// A success clears it. Persisted, so it holds on every replica; the counter is incremented
/// in one statement, so concurrent failures are all counted.
/// </summary>
public sealed class AuthLockouts(IOptions<AuthOptions> options, TimeProvider clock)
{
    public static string KeyOf(LockoutScope scope, string subject) =>
        (scope == LockoutScope.Password ? "pwd:" : "mfa:") + TokenHashing.Hash(subject);

    public async Task<LockoutState> CheckAsync(TenantryDbContext db, LockoutScope scope, string subject, CancellationToken cancellationToken)
    {
        var key = KeyOf(scope, subject);
        var row = await db.AuthLockouts.AsNoTracking().Where(l => l.Key == key)
            .Select(l => new { l.LockedUntil }).FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return LockoutState.Clear;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        return new LockoutState(row.LockedUntil > now ? row.LockedUntil.Value - now : null, HasFailures: true);
    }

    /// <summary>Counts a failure; returns the lockout it started, if any.</summary>
    public async Task<TimeSpan?> RecordFailureAsync(TenantryDbContext db, LockoutScope scope, string subject, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var key = KeyOf(scope, subject);
        var now = clock.GetUtcNow().UtcDateTime;
        var forgetBefore = now - settings.LockoutMemory;

        if (!await IncrementAsync(db, key, now, forgetBefore, cancellationToken))
        {
            var fresh = new AuthLockout { Key = key, Failures = 1, LastFailureAt = now };
            db.AuthLockouts.Add(fresh);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e, UniqueKeys.AuthLockout))
            {
                // Another request counted the first failure at the same moment; count this one on top.
                db.Entry(fresh).State = EntityState.Detached;
                await IncrementAsync(db, key, now, forgetBefore, cancellationToken);
            }
        }

        var failures = await db.AuthLockouts.Where(l => l.Key == key).Select(l => l.Failures).FirstAsync(cancellationToken);
        if (failures < settings.LockoutThreshold)
        {
            return null;
        }
        var lockFor = Duration(failures - settings.LockoutThreshold, settings);
        var until = now + lockFor;
        await db.AuthLockouts.Where(l => l.Key == key && (l.LockedUntil == null || l.LockedUntil < until))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.LockedUntil, until), cancellationToken);
        return lockFor;
    }

    public Task ResetAsync(TenantryDbContext db, LockoutScope scope, string subject, CancellationToken cancellationToken)
    {
        var key = KeyOf(scope, subject);
        return db.AuthLockouts.Where(l => l.Key == key).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>base × 2^doublings, capped.</summary>
    public static TimeSpan Duration(int doublings, AuthOptions settings)
    {
        var factor = Math.Pow(2, Math.Min(doublings, 30));
        var ticks = Math.Min(settings.LockoutBase.Ticks * factor, settings.LockoutMaximum.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    private static async Task<bool> IncrementAsync(TenantryDbContext db, string key, DateTime now, DateTime forgetBefore, CancellationToken cancellationToken) =>
        await db.AuthLockouts.Where(l => l.Key == key).ExecuteUpdateAsync(s => s
            .SetProperty(l => l.Failures, l => l.LastFailureAt < forgetBefore ? 1 : l.Failures + 1)
            .SetProperty(l => l.LockedUntil, l => l.LastFailureAt < forgetBefore ? null : l.LockedUntil)
            .SetProperty(l => l.LastFailureAt, now), cancellationToken) == 1;
}
