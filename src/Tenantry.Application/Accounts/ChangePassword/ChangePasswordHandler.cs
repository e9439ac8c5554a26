using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.ChangePassword;

/// <summary>
/// Replaces the caller's password. The current one is checked as a sign-in checks it (<see cref="PasswordAttempts"/>: the
/// same throttle and lockout, keyed by the address), so a stolen session cannot guess it faster than the sign-in form could.
/// The account's other sessions are signed out: whoever learned the old password loses what it opened. Recorded in the
/// account's trail.
/// </summary>
public sealed class ChangePasswordHandler(
    TenantryDbContext db, IValidator<ChangePasswordCommand> validator, PasswordAttempts passwords, Passwords hasher, TimeProvider clock)
{
    public async Task<Result> HandleAsync(ChangePasswordCommand command, Caller caller, CancellationToken cancellationToken)
    {
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        var account = await db.Users.FirstAsync(u => u.Id == caller.UserId, cancellationToken);
        var attempt = await passwords.TryAsync(db, account.NormalizedEmail, () => Task.FromResult<UserAccount?>(account), command.CurrentPassword!,
            cancellationToken);
        if (!attempt.IsSuccess)
        {
            return attempt.Error;
        }

        var now = clock.GetUtcNow();
        return await db.InTransactionAsync<Result>(async transaction =>
        {
            // Read again: a second run starts from a fresh change tracker.
            var user = await db.Users.FirstAsync(u => u.Id == caller.UserId, cancellationToken);
            user.ChangePassword(hasher.Hash(command.NewPassword!), now);
            var signedOut = await SessionRevocations.RevokeAllAsync(db, user.Id, except: caller.SessionId, now, cancellationToken);
            db.AccountEvents.Add(AccountEvent.ByUser(user.Id, caller.UserId, AccountActions.PasswordChanged, caller.ClientIpText,
                AuditDetails.Of(("sessionsSignedOut", signedOut)), now));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result.Success;
        }, cancellationToken);
    }
}
