using Tenantry.Application.Accounts.Lockouts;
using Tenantry.Data;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts;

/// <summary>
/// The one rule for trying a password, wherever it is typed (sign-in, a password change): the per-account throttle and the
/// persisted progressive lockout, both keyed by the normalized address, are checked first; a wrong password (or an unknown
/// address, after the same work) counts toward the lockout; a right one clears it.
/// </summary>
public sealed class PasswordAttempts(Passwords passwords, AccountThrottle throttle, AuthLockouts lockouts)
{
    /// <summary>
    /// Checks <paramref name="password"/> against the account <paramref name="findUser"/> finds for the address (null: none),
    /// which runs only when the attempt is not refused. Answers the account and how its hash fared, or <see cref="RateLimited"/>
    /// or <see cref="InvalidCredentials"/>.
    /// </summary>
    public async Task<Result<(UserAccount User, PasswordCheck Check)>> TryAsync(
        TenantryDbContext db, string normalizedEmail, Func<Task<UserAccount?>> findUser, string password, CancellationToken cancellationToken)
    {
        if (throttle.TryAcquire(ThrottledAction.SignIn, normalizedEmail) is { } retryAfter)
        {
            return new RateLimited(retryAfter);
        }
        var lockout = await lockouts.CheckAsync(db, LockoutScope.Password, normalizedEmail, cancellationToken);
        if (lockout.RetryAfter is { } locked)
        {
            return new RateLimited(locked);
        }
        var user = await findUser();
        var check = passwords.Verify(user, password);
        if (user is null || check == PasswordCheck.Wrong)
        {
            await lockouts.RecordFailureAsync(db, LockoutScope.Password, normalizedEmail, cancellationToken);
            return new InvalidCredentials();
        }
        if (lockout.HasFailures)
        {
            await lockouts.ResetAsync(db, LockoutScope.Password, normalizedEmail, cancellationToken);
        }
        return Result<(UserAccount User, PasswordCheck Check)>.Success((user, check));
    }
}
