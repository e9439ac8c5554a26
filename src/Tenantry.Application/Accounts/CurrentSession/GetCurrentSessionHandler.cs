using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Application.Organizations;
using Tenantry.Data;

namespace Tenantry.Application.Accounts.CurrentSession;

/// <summary>
/// The caller's session as the Wacht dialect shows it: one sign-in per session (the session id
/// is also the sign-in id, and the SYSTEM <c>sessionId</c>), with the active organization and
/// workspace memberships.
/// </summary>
public sealed record CurrentSessionView(
    string Id,
    string UserId,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime ExpiresAt,
    string? ClientIp,
    string? UserAgent,
    bool MfaVerified,
    ActiveMemberships Active);

public sealed class GetCurrentSessionHandler(TenantryDbContext db)
{
    public async Task<CurrentSessionView> HandleAsync(Caller caller, CancellationToken cancellationToken)
    {
        var session = await db.Sessions.AsNoTracking().FirstAsync(s => s.Id == caller.SessionId, cancellationToken);
        var active = await ActiveOrganizations.ResolveAsync(db, caller.UserId, cancellationToken);
        return new CurrentSessionView(session.Id, session.UserId, session.CreatedAt, session.UpdatedAt, session.ExpiresAt,
            session.ClientIp, session.UserAgent, session.IsMfaVerified, active);
    }
}
