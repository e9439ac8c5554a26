using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Tenantry.Data;

/// <summary>
/// The one way a use case opens a transaction. The unit runs under the provider's execution strategy: on
/// PostgreSQL and Citus it is run again from the start (fresh change tracker, everything re-read and decided
/// again) when the database rolled it back and said a retry may succeed (a deadlock's victim, a serialization
/// failure: <see cref="Providers.DatabaseErrors.IsRetryableRollback"/>); on SQLite it runs once, as before
/// (a busy database waits in SQLite's own busy handler). A unit commits where it decides to (a failure it
/// answers may still need its writes, such as a counted wrong code); leaving without a commit rolls back.
/// Once the unit has sent its commit it is never run again, whatever fails afterwards: the outcome of a
/// commit that did not answer is unknown. Side effects outside the database (signals to workers, cache
/// invalidation) belong after the commit, where they happen once.
/// </summary>
public static class Transactions
{
    public static async Task<T> InTransactionAsync<T>(this TenantryDbContext db, Func<IDbContextTransaction, Task<T>> unit, CancellationToken cancellationToken)
    {
        var attempt = 0;
        try
        {
            return await db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
            {
                if (attempt++ > 0)
                {
                    // What the rolled-back attempt tracked and recorded is not what the next one will find.
                    db.ChangeTracker.Clear();
                    db.PendingChanges.Discard();
                }
                await using var transaction = await db.Database.BeginTransactionAsync(token);
                try
                {
                    return await unit(transaction);
                }
                catch when (!ReferenceEquals(db.Database.CurrentTransaction, transaction))
                {
                    // The transaction ended inside the unit: committed (or rolled back by the unit itself). A commit
                    // the server refused with an error leaves it current: that transaction was rolled back, and may run again.
                    db.CommitSent = true;
                    throw;
                }
            }, cancellationToken);
        }
        finally
        {
            db.CommitSent = false;
        }
    }

    public static Task InTransactionAsync(this TenantryDbContext db, Func<IDbContextTransaction, Task> unit, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async transaction =>
        {
            await unit(transaction);
            return true;
        }, cancellationToken);
}
