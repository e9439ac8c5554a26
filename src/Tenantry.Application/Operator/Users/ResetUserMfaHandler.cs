using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Operator.Users;

/// <summary>
/// For someone who lost their authenticator: removes the TOTP enrolment, the recovery codes and
/// any pending MFA sign-in. The next sign-in needs the password only, and the user can enrol again.
/// Sessions are kept (an operator who suspects a takeover also revokes them).
/// </summary>
public sealed class ResetUserMfaHandler(TenantryDbContext db, TimeProvider clock)
{
    public async Task<Result<AdminUserView>> HandleAsync(string userId, CancellationToken cancellationToken)
    {
        var found = await AdminUsers.FindAsync(db, userId, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error;
        }
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var authenticators = await db.TotpAuthenticators.Where(t => t.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.RecoveryCodes.Where(c => c.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.MfaChallenges.Where(c => c.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        AdminUsers.Record(db, AccountActions.MfaReset, userId, AuditDetails.Of(("hadAuthenticator", authenticators > 0)), now);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await AdminUsers.ViewAsync(db, userId, now, cancellationToken))!;
    }
}
