using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Accounts.Mfa;
using Tenantry.Application.Common;
using Tenantry.Data;

namespace Tenantry.Application.Accounts.Mfa.Status;

public sealed record MfaStatus(bool Enabled, bool Pending, DateTime? ConfirmedAt, int RecoveryCodesRemaining, bool SessionVerified);

public sealed class GetMfaStatusHandler(TenantryDbContext db)
{
    public async Task<MfaStatus> HandleAsync(Caller caller, CancellationToken cancellationToken)
    {
        var authenticator = await db.TotpAuthenticators.AsNoTracking().FirstOrDefaultAsync(t => t.UserId == caller.UserId, cancellationToken);
        var remaining = await db.RecoveryCodes.CountAsync(c => c.UserId == caller.UserId && c.UsedAt == null, cancellationToken);
        return new MfaStatus(authenticator?.IsConfirmed == true, authenticator is { IsConfirmed: false }, authenticator?.ConfirmedAt, remaining, caller.MfaVerified);
    }
}
