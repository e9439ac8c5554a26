using Microsoft.EntityFrameworkCore;
using Tenantry.Data.Changes;

namespace Tenantry.Data;

/// <summary>
/// Row locks that serialize the changes whose rules read before they write. Both work the
/// same way on every provider: a version bump inside the caller's transaction takes the
/// row's write lock (PostgreSQL) or the database write lock (SQLite), so a concurrent
/// transaction that wants the same lock waits for the first to commit and then reads its
/// result. Take them at the start of the transaction, workspace before user, so that two
/// transactions never wait on each other's row locks in opposite orders. (On Citus a transaction
/// also takes reference-table and shard locks this order does not govern; a deadlock's victim
/// there is run again by <see cref="Transactions.InTransactionAsync{T}"/>: docs/ARCHITECTURE.md, "Lock order".)
/// </summary>
public static class RowLocks
{
    /// <summary>For changes to one workspace's ownership ("at least one owner").</summary>
    public static async Task<bool> LockWorkspaceAsync(this TenantryDbContext db, string workspaceId, CancellationToken cancellationToken) =>
        await db.Workspaces.Where(w => w.Id == workspaceId)
            .ExecuteUpdateAsync(w => w.SetProperty(x => x.Version, x => x.Version + 1), cancellationToken) == 1;

    /// <summary>
    /// For changes to who runs an institution ("it keeps an owner"). Institutions carry no
    /// version column, so the write is a no-op assignment: it still takes the row's write lock.
    /// Take it before the workspace and user locks.
    /// </summary>
    public static async Task<bool> LockInstitutionAsync(this TenantryDbContext db, string institutionId, CancellationToken cancellationToken) =>
        await db.Institutions.Where(i => i.Id == institutionId)
            .ExecuteUpdateAsync(i => i.SetProperty(x => x.MemberCount, x => x.MemberCount), cancellationToken) == 1;

    /// <summary>
    /// For confirming or restarting a user's pending TOTP enrolment ("confirmed once, one set of
    /// recovery codes, a confirmed secret is never replaced"). A no-op write on the enrolment's
    /// row; false when the user has none.
    /// </summary>
    public static async Task<bool> LockTotpAuthenticatorAsync(this TenantryDbContext db, string userId, CancellationToken cancellationToken) =>
        await db.TotpAuthenticators.Where(t => t.UserId == userId)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.UpdatedAt, x => x.UpdatedAt), cancellationToken) == 1;

    /// <summary>
    /// For changes to one user's memberships and default workspace ("one default"). The bump is
    /// also the version that caches of the user's list compare against, and this replica's
    /// caches drop the user's entries once the transaction commits.
    /// </summary>
    public static Task<int> LockUserMembershipsAsync(this TenantryDbContext db, string userId, CancellationToken cancellationToken)
    {
        db.PendingChanges.Record(DataChange.UserMemberships(userId));
        return db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.MembershipsVersion, x => x.MembershipsVersion + 1), cancellationToken);
    }
}
