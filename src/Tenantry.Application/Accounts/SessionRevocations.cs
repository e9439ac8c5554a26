using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Tenantry.Data;
using Tenantry.Data.Changes;
using Tenantry.Domain.Accounts;

namespace Tenantry.Application.Accounts;

public static class SessionRevocations
{
    /// <summary>
    /// Revokes a session in one statement; a session already revoked keeps its first reason.
    /// This replica's session cache drops it once committed, so the next request is refused here at once.
    /// </summary>
    public static Task<int> RevokeAsync(
        this DbSet<Session> sessions, string sessionId, SessionRevocation reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ((TenantryDbContext)sessions.GetService<ICurrentDbContext>().Context).PendingChanges.Record(DataChange.Session(sessionId));
        return sessions.Where(s => s.Id == sessionId && s.RevokedAt == null).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.RevokedAt, now.UtcDateTime)
            .SetProperty(x => x.RevocationReason, reason)
            .SetProperty(x => x.UpdatedAt, now.UtcDateTime), cancellationToken);
    }
}
