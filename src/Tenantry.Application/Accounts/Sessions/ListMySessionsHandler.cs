using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;

namespace Tenantry.Application.Accounts.Sessions;

/// <summary>One of the caller's live sessions, as an account page lists them.</summary>
public sealed record SessionSummary(
    string Id, DateTime CreatedAt, DateTime UpdatedAt, DateTime ExpiresAt, string? ClientIp, string? UserAgent, bool Current);

/// <summary>The caller's sessions that are neither revoked nor expired, the most recently used first.</summary>
public sealed class ListMySessionsHandler(TenantryDbContext db, TimeProvider clock)
{
    public async Task<IReadOnlyList<SessionSummary>> HandleAsync(Caller caller, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.Sessions.AsNoTracking()
            .Where(s => s.UserId == caller.UserId && s.RevokedAt == null && s.ExpiresAt > now)
            .OrderByDescending(s => s.UpdatedAt).ThenByDescending(s => s.Id)
            .Select(s => new SessionSummary(s.Id, s.CreatedAt, s.UpdatedAt, s.ExpiresAt, s.ClientIp, s.UserAgent, s.Id == caller.SessionId))
            .ToListAsync(cancellationToken);
    }
}
