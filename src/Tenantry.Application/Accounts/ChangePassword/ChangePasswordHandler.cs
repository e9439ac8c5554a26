using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Accounts.Lockouts;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.ChangePassword;

/// <summary>
/// Replaces the caller's password. The current one is checked as a sign-in checks it (the same per-account throttle and the
/// same persisted lockout, keyed by the address), so a stolen session cannot guess it faster than the sign-in form could.
/// The account's other sessions are signed out: whoever learned the old password loses what it opened. Recorded in the
/// account's trail.
/// </summary>
public sealed class ChangePasswordHandler(
    TenantryDbContext db, IValidator<ChangePasswordCommand> validator, Passwords passwords, AccountThrottle throttle, AuthLockouts lockouts,
    TimeProvider clock)
{
    public async Task<Result> HandleAsync(ChangePasswordCommand command, Caller caller, CancellationToken cancellationToken)
    {
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        var user = await db.Users.FirstAsync(u => u.Id == caller.UserId, cancellationToken);
        if (throttle.TryAcquire(ThrottledAction.SignIn, user.NormalizedEmail) is { } retryAfter)
        {
            return new RateLimited(retryAfter);
        }
        var lockout = await lockouts.CheckAsync(db, LockoutScope.Password, user.NormalizedEmail, cancellationToken);
        if (lockout.RetryAfter is { } locked)
        {
            return new RateLimited(locked);
        }
        if (passwords.Verify(user, command.CurrentPassword!) == PasswordCheck.Wrong)
        {
            await lockouts.RecordFailureAsync(db, LockoutScope.Password, user.NormalizedEmail, cancellationToken);
            return new InvalidCredentials();
        }
        if (lockout.HasFailures)
        {
            await lockouts.ResetAsync(db, LockoutScope.Password, user.NormalizedEmail, cancellationToken);
        }

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        user.ChangePassword(passwords.Hash(command.NewPassword!), now);
        var others = await db.Sessions.Where(s => s.UserId == user.Id && s.RevokedAt == null && s.Id != caller.SessionId)
            .Select(s => s.Id).ToListAsync(cancellationToken);
        foreach (var sessionId in others)
        {
            await db.Sessions.RevokeAsync(sessionId, SessionRevocation.SignedOut, now, cancellationToken);
        }
        db.AccountEvents.Add(AccountEvent.ByUser(user.Id, caller.UserId, AccountActions.PasswordChanged, caller.ClientIpText,
            AuditDetails.Of(("sessionsSignedOut", others.Count)), now));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Success;
    }
}
