using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Accounts;
using Tenantry.Application.Common;
using Tenantry.Data;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Common;

namespace Tenantry.Application.Operator.Users;

/// <summary>The shared reads and the account event of the operator's user use cases.</summary>
internal static class AdminUsers
{
    public static async Task<AdminUserView?> ViewAsync(TenantryDbContext db, string userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await ViewsAsync(db, db.Users.Where(u => u.Id == userId), now, cancellationToken)).SingleOrDefault();

    /// <summary>
    /// The users with their counts, in the order of <paramref name="users"/>. The counts are one
    /// grouped query per table rather than subqueries per user: on Citus each of those tables has
    /// its own distribution column, and it plans a query per table, not one correlated across them.
    /// </summary>
    public static async Task<List<AdminUserView>> ViewsAsync(TenantryDbContext db, IQueryable<UserAccount> users, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var utcNow = now.UtcDateTime;
        var accounts = await users.AsNoTracking().ToListAsync(cancellationToken);
        var ids = accounts.Select(u => u.Id).ToList();
        var withMfa = (await db.TotpAuthenticators.Where(t => ids.Contains(t.UserId) && t.ConfirmedAt != null)
            .Select(t => t.UserId).ToListAsync(cancellationToken)).ToHashSet();
        var sessions = await db.Sessions.Where(s => ids.Contains(s.UserId) && s.RevokedAt == null && s.ExpiresAt > utcNow)
            .GroupBy(s => s.UserId).Select(g => new { UserId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.UserId, x => x.Count, cancellationToken);
        var workspaces = await db.WorkspaceMemberships.Where(m => ids.Contains(m.UserId))
            .GroupBy(m => m.UserId).Select(g => new { UserId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.UserId, x => x.Count, cancellationToken);
        return [.. accounts.Select(u => new AdminUserView(
            u.Id, u.Email, u.DisplayName, u.Status, u.EmailVerified, u.EmailVerifiedAt,
            withMfa.Contains(u.Id), sessions.GetValueOrDefault(u.Id), workspaces.GetValueOrDefault(u.Id),
            u.CreatedAt, u.UpdatedAt))];
    }

    /// <summary>Revokes every live session of the user (administratively); each replica's session cache drops them after the commit.</summary>
    public static async Task<int> RevokeSessionsAsync(TenantryDbContext db, string userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var live = await db.Sessions.Where(s => s.UserId == userId && s.RevokedAt == null).Select(s => s.Id).ToListAsync(cancellationToken);
        foreach (var sessionId in live)
        {
            await db.Sessions.RevokeAsync(sessionId, SessionRevocation.Administrative, now, cancellationToken);
        }
        return live.Count;
    }

    /// <summary>An operator's change to an account: an event of the account's trail with actor <c>operator</c>.</summary>
    public static void Record(TenantryDbContext db, string action, string userId, string details, DateTimeOffset now) =>
        db.AccountEvents.Add(AccountEvent.ByOperator(userId, action, details, now));

    /// <summary>
    /// The frame of an operator's change to an account: finds it (<see cref="NotFound"/> otherwise), runs
    /// <paramref name="change"/> and saves in one transaction (the change records its account event), and answers
    /// the account as it is then.
    /// </summary>
    public static async Task<Result<AdminUserView>> ChangeAsync(
        TenantryDbContext db, string? userId, DateTimeOffset now, Func<UserAccount, Task> change, CancellationToken cancellationToken)
    {
        var changed = await db.InTransactionAsync(async transaction =>
        {
            var found = await FindAsync(db, userId, cancellationToken);
            if (found.IsSuccess)
            {
                await change(found.Value);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            return found;
        }, cancellationToken);
        if (!changed.IsSuccess)
        {
            return changed.Error;
        }
        return (await ViewAsync(db, changed.Value.Id, now, cancellationToken))!;
    }

    /// <summary>The account to change; unknown ids (or nothing id-shaped) are <see cref="NotFound"/>.</summary>
    public static async Task<Result<UserAccount>> FindAsync(TenantryDbContext db, string? userId, CancellationToken cancellationToken) =>
        EntityId.LooksValid(userId, EntityId.User) && await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken) is { } user
            ? user
            : new NotFound();
}
