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

    /// <summary>Signs out every live session of a user but <paramref name="except"/>, one by one (so each cache drops it); answers how many.</summary>
    public static async Task<int> RevokeAllAsync(
        TenantryDbContext db, string userId, string? except, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var live = await db.Sessions.Where(s => s.UserId == userId && s.RevokedAt == null && s.Id != except)
            .Select(s => s.Id).ToListAsync(cancellationToken);
        foreach (var sessionId in live)
        {
            await db.Sessions.RevokeAsync(sessionId, SessionRevocation.SignedOut, now, cancellationToken);
        }
        return live.Count;
    }
}
