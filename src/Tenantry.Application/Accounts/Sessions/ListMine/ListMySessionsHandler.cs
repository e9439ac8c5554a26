using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Data;

namespace Tenantry.Application.Accounts.Sessions.ListMine;

/// <summary>One of the caller's live sessions, as "my sessions" shows it (never its token).</summary>
public sealed record MySessionView(
    string SessionId, bool IsCurrent, bool MfaVerified, string? ClientIp, string? UserAgent, DateTime CreatedAt, DateTime LastUsedAt, DateTime ExpiresAt);

/// <summary>The caller's sessions that still work (not revoked, not expired), newest first, at most <see cref="Shown"/>.</summary>
public sealed class ListMySessionsHandler(TenantryDbContext db, TimeProvider clock)
{
    public const int Shown = 100;

    public async Task<IReadOnlyList<MySessionView>> HandleAsync(Caller caller, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.Sessions.AsNoTracking()
            .Where(s => s.UserId == caller.UserId && s.RevokedAt == null && s.ExpiresAt > now)
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Take(Shown)
            .Select(s => new MySessionView(s.Id, s.Id == caller.SessionId, s.MfaVerifiedAt != null, s.ClientIp, s.UserAgent, s.CreatedAt, s.UpdatedAt, s.ExpiresAt))
            .ToListAsync(cancellationToken);
    }
}
