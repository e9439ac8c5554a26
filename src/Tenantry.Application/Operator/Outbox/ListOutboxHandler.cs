using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tenantry.Application.Outbox;
using Tenantry.Data;

namespace Tenantry.Application.Operator.Outbox;

/// <summary>An email waiting in the outbox or given up on; never its payload (addresses, encrypted tokens).</summary>
public sealed record OutboxEntryView(string MessageId, string Kind, DateTime CreatedAt, int Attempts, DateTime NextAttemptAt, string? LastError);

/// <summary>What the operator sees of the outbox: messages still to be sent, and those that used up their attempts.</summary>
public sealed record OutboxOverview(IReadOnlyList<OutboxEntryView> Pending, int PendingTotal, IReadOnlyList<OutboxEntryView> Failed, int FailedTotal);

/// <summary>The outbox's unsent messages, oldest first, at most <see cref="Shown"/> of each kind.</summary>
public sealed class ListOutboxHandler(TenantryDbContext db, IOptions<OutboxOptions> options)
{
    public const int Shown = 100;

    public async Task<OutboxOverview> HandleAsync(CancellationToken cancellationToken)
    {
        var maxAttempts = options.Value.MaxAttempts;
        var unsent = db.OutboxMessages.AsNoTracking().Where(m => m.SentAt == null);
        var pending = unsent.Where(m => m.Attempts < maxAttempts);
        var failed = unsent.Where(m => m.Attempts >= maxAttempts);
        return new OutboxOverview(
            await View(pending).ToListAsync(cancellationToken), await pending.CountAsync(cancellationToken),
            await View(failed).ToListAsync(cancellationToken), await failed.CountAsync(cancellationToken));
    }

    private static IQueryable<OutboxEntryView> View(IQueryable<Data.Outbox.OutboxMessage> messages) =>
        messages.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).Take(Shown)
            .Select(m => new OutboxEntryView(m.Id, m.Kind, m.CreatedAt, m.Attempts, m.NextAttemptAt, m.LastError));
}
