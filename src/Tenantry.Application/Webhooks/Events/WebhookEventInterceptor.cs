using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Tenantry.Application.Outbox;
using Tenantry.Data;
using Tenantry.Data.Outbox;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Webhooks;

namespace Tenantry.Application.Webhooks.Events;

/// <summary>What the outbox carries for one audit event: its id and its place among its transaction's events.</summary>
public sealed record WebhookEventMessage(string AuditEventId, int Ordinal);

/// <summary>
/// For every audit event a unit of work adds, adds in the same SaveChanges (so in the same
/// transaction) an outbox message naming it: a change that is committed has its message, a
/// change that is rolled back has none. No query runs here; the outbox worker expands each
/// message into deliveries later (<see cref="WebhookEventExpander"/>). Once the transaction
/// commits, the outbox worker is woken.
/// </summary>
public sealed class WebhookEventInterceptor(OutboxSignal signal) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Enqueue(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Enqueue(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        WakeIfCommitted(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        WakeIfCommitted(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Wake(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Wake(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is TenantryDbContext db)
        {
            db.OutboxWritten = false;
        }
    }

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionRolledBack(transaction, eventData);
        return Task.CompletedTask;
    }

    private static void Enqueue(DbContext? context)
    {
        if (context is not TenantryDbContext db)
        {
            return;
        }
        List<AuditEvent>? added = null;
        foreach (var entry in db.ChangeTracker.Entries<AuditEvent>())
        {
            if (entry.State == EntityState.Added && WebhookEventTypes.ForAuditAction(entry.Entity.Action) is not null)
            {
                (added ??= []).Add(entry.Entity);
            }
        }
        if (added is null)
        {
            return;
        }
        // A SaveChanges tried again after a failure must not queue its events twice; a second SaveChanges of the
        // same unit of work numbers its events after the first one's.
        var queued = new HashSet<string>(StringComparer.Ordinal);
        var ordinal = 0;
        foreach (var entry in db.ChangeTracker.Entries<OutboxMessage>())
        {
            if (entry.Entity.Kind == OutboxKinds.WebhookEvent && entry.State is EntityState.Added or EntityState.Unchanged)
            {
                queued.Add(OutboxWriter.Read<WebhookEventMessage>(entry.Entity).AuditEventId);
                ordinal++;
            }
        }
        foreach (var auditEvent in added.OrderBy(e => e.RecordedOrder))
        {
            if (queued.Add(auditEvent.Id))
            {
                // Events of one transaction share their time; a microsecond apart in the outbox (which works in time
                // order), they are expanded, and so delivered, in the order the use case recorded them.
                OutboxWriter.Enqueue(db, OutboxKinds.WebhookEvent, new WebhookEventMessage(auditEvent.Id, ordinal),
                    new DateTimeOffset(auditEvent.CreatedAt, TimeSpan.Zero).AddTicks(ordinal * TimeSpan.TicksPerMicrosecond));
                ordinal++;
                db.OutboxWritten = true;
            }
        }
    }

    private void WakeIfCommitted(DbContext? context)
    {
        if (context is not null && context.Database.CurrentTransaction is null)
        {
            Wake(context);
        }
    }

    private void Wake(DbContext? context)
    {
        if (context is TenantryDbContext { OutboxWritten: true } db)
        {
            db.OutboxWritten = false;
            signal.Notify();
        }
    }
}
