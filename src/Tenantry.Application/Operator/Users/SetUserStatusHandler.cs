using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Operator.Users;

/// <summary>
/// Disables or enables an account. Disabling revokes every session in the same transaction,
/// so the account's access tokens and cookies are refused at once on this replica (within
/// <c>Tenantry:Cache:MaxStaleness</c> on others), and a sign-in with the right password answers
/// <see cref="AccountDisabled"/>. Memberships are kept: enabling gives the account back as it was.
/// Repeating either is a no-op without an account event.
/// </summary>
public sealed class SetUserStatusHandler(TenantryDbContext db, TimeProvider clock)
{
    public Task<Result<AdminUserView>> HandleAsync(string? userId, bool enabled, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return AdminUsers.ChangeAsync(db, userId, now, async user =>
        {
            if (user.SetStatus(enabled ? UserStatus.Active : UserStatus.Disabled, now))
            {
                var revoked = enabled ? 0 : await AdminUsers.RevokeSessionsAsync(db, user.Id, now, cancellationToken);
                AdminUsers.Record(db, enabled ? AccountActions.Enabled : AccountActions.Disabled, user.Id,
                    AuditDetails.Of(("sessionsRevoked", revoked)), now);
            }
        }, cancellationToken);
    }
}

/// <summary>Signs the account out everywhere: every live session is revoked, the account stays usable.</summary>
public sealed class RevokeUserSessionsHandler(TenantryDbContext db, TimeProvider clock)
{
    public Task<Result<AdminUserView>> HandleAsync(string? userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return AdminUsers.ChangeAsync(db, userId, now, async user =>
        {
            var revoked = await AdminUsers.RevokeSessionsAsync(db, user.Id, now, cancellationToken);
            AdminUsers.Record(db, AccountActions.SessionsRevoked, user.Id, AuditDetails.Of(("sessionsRevoked", revoked)), now);
        }, cancellationToken);
    }
}
