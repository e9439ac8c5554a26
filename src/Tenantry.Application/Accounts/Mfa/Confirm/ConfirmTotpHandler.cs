using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Accounts.Mfa;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Accounts.Mfa.Confirm;

/// <summary>
/// Activates a pending enrolment with its first code and issues the recovery codes (shown
/// once). The caller's session has just proved the second factor, so it becomes MFA-verified.
/// Concurrent confirms of one enrolment: the first confirms, the others answer that MFA is on.
/// </summary>
public sealed class ConfirmTotpHandler(TenantryDbContext db, IValidator<ConfirmTotpCommand> validator, SecondFactor secondFactor, TimeProvider clock)
{
    public async Task<Result<IReadOnlyList<string>>> HandleAsync(ConfirmTotpCommand command, Caller caller, CancellationToken cancellationToken)
    {
        if (await validator.CheckAsync(command, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        // One confirm at a time per user: a concurrent one waits for the row lock, then finds the
        // enrolment confirmed. Committed whatever the outcome, so that a wrong code still counts.
        return await db.InTransactionAsync<Result<IReadOnlyList<string>>>(async transaction =>
        {
            var result = await ConfirmLockedAsync(command.Code!, caller, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }, cancellationToken);
    }

    private async Task<Result<IReadOnlyList<string>>> ConfirmLockedAsync(string code, Caller caller, CancellationToken cancellationToken)
    {
        if (!await db.LockTotpAuthenticatorAsync(caller.UserId, cancellationToken))
        {
            return new MfaNotEnabled();
        }
        var pending = await db.TotpAuthenticators.FirstAsync(t => t.UserId == caller.UserId, cancellationToken);
        if (pending.IsConfirmed)
        {
            return new MfaAlreadyEnabled();
        }
        var verified = await secondFactor.ConfirmAsync(pending, code, cancellationToken);
        if (!verified.IsSuccess)
        {
            return verified.Error;
        }
        var codes = await secondFactor.IssueRecoveryCodesAsync(caller.UserId, cancellationToken);
        var session = await db.Sessions.FirstAsync(s => s.Id == caller.SessionId, cancellationToken);
        session.MarkMfaVerified(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return codes;
    }
}
