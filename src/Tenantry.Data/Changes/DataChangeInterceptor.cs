using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Tenantry.Domain.Accounts;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Data.Changes;

/// <summary>
/// Publishes to <see cref="DataChangeFeed"/> what each unit of work changed, only once it is
/// committed: at the commit of an explicit transaction, or right after a SaveChanges or a
/// set-based statement that ran outside one. Publishing after the commit (never before) is
/// what lets a cache drop an entry without a concurrent reader putting the old value back.
/// </summary>
public sealed class DataChangeInterceptor(DataChangeFeed feed) : ISaveChangesInterceptor, IDbTransactionInterceptor, IDbCommandInterceptor
{
    // Counters and stamps that change on every join or lock; no member's list shows them.
    private static readonly HashSet<string> s_bookkeeping = [nameof(Workspace.MemberCount), nameof(Workspace.Version), nameof(Workspace.UpdatedAt)];

    // Of those, what the full membership views show (the lock counter is shown nowhere).
    private static readonly HashSet<string> s_details = [nameof(Workspace.MemberCount), nameof(Workspace.UpdatedAt)];

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Record(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        PublishIfCommittedAsync(eventData.Context).GetAwaiter().GetResult();
        return result;
    }

    public async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        await PublishIfCommittedAsync(eventData.Context);
        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        PublishAsync(eventData.Context).GetAwaiter().GetResult();

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        PublishAsync(eventData.Context);

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) =>
        (eventData.Context as TenantryDbContext)?.PendingChanges.Discard();

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionRolledBack(transaction, eventData);
        return Task.CompletedTask;
    }

    // ExecuteUpdate/ExecuteDelete outside a transaction: committed when the statement returns.
    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        PublishIfCommittedAsync(eventData.Context).GetAwaiter().GetResult();
        return result;
    }

    public async ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        await PublishIfCommittedAsync(eventData.Context);
        return result;
    }

    private static void Record(DbContext? context)
    {
        if (context is not TenantryDbContext db)
        {
            return;
        }
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }
            switch (entry.Entity)
            {
                case Session session when entry.State != EntityState.Added:
                    db.PendingChanges.Record(DataChange.Session(session.Id));
                    break;
                case WorkspaceMembership membership:
                    db.PendingChanges.Record(DataChange.UserMemberships(membership.UserId));
                    break;
                case InstitutionMembership membership:
                    db.PendingChanges.Record(DataChange.UserMemberships(membership.UserId));
                    break;
                case Workspace or Institution or WorkspaceRole when entry.State != EntityState.Added && ShowsInLists(entry):
                    db.PendingChanges.Record(DataChange.Directory);
                    break;
                case Workspace or Institution or WorkspaceRole when entry.State != EntityState.Added && ShowsInDetails(entry):
                case Segment or WorkspaceSegment or InstitutionSegment:
                    db.PendingChanges.Record(DataChange.Details);
                    break;
            }
        }
    }

    private static bool ShowsInLists(EntityEntry entry) =>
        entry.State == EntityState.Deleted || entry.Properties.Any(p => p.IsModified && !s_bookkeeping.Contains(p.Metadata.Name));

    private static bool ShowsInDetails(EntityEntry entry) =>
        entry.Properties.Any(p => p.IsModified && s_details.Contains(p.Metadata.Name));

    private Task PublishIfCommittedAsync(DbContext? context) =>
        context is not null && context.Database.CurrentTransaction is null ? PublishAsync(context) : Task.CompletedTask;

    // Awaited before the request answers: once a write is acknowledged, the other replicas have heard of it.
    private Task PublishAsync(DbContext? context) =>
        context is TenantryDbContext db ? feed.PublishAsync(db.PendingChanges.Drain()) : Task.CompletedTask;
}
