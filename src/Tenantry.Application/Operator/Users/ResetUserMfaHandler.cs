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
    public Task<Result<AdminUserView>> HandleAsync(string? userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return AdminUsers.ChangeAsync(db, userId, now, async user =>
        {
            var authenticators = await db.TotpAuthenticators.Where(t => t.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
            await db.RecoveryCodes.Where(c => c.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
            await db.MfaChallenges.Where(c => c.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
            AdminUsers.Record(db, AccountActions.MfaReset, user.Id, AuditDetails.Of(("hadAuthenticator", authenticators > 0)), now);
        }, cancellationToken);
    }
}
