using Microsoft.EntityFrameworkCore.Storage;
using Npgsql.EntityFrameworkCore.PostgreSQL;

namespace Tenantry.Data.Providers.Postgres;

/// <summary>
/// The execution strategy of the PostgreSQL and Citus providers: Npgsql's retrying strategy, narrowed to the
/// failures after which the database has rolled the transaction back and says trying again may succeed
/// (<see cref="DatabaseErrors.IsRetryableRollback"/>). A connection lost or a timeout is not retried: the
/// statement may have been carried out, and an unreachable database should answer 503 at once, not after
/// a minute of tries. A unit of <see cref="Transactions.InTransactionAsync{T}"/> that failed after its commit
/// is never run again. Tries are few and close together, with jitter so that two victims of one deadlock do
/// not meet again in step.
/// </summary>
public sealed class RollbackRetryingExecutionStrategy(ExecutionStrategyDependencies dependencies)
    : NpgsqlRetryingExecutionStrategy(dependencies, MaxRetries, s_maxDelay, errorCodesToAdd: null)
{
    /// <summary>Retries after the first try: a distributed deadlock is found within about two seconds, so seven tries outlast a busy moment.</summary>
    public const int MaxRetries = 6;

    private static readonly TimeSpan s_firstDelay = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan s_maxDelay = TimeSpan.FromSeconds(1);

    protected override bool ShouldRetryOn(Exception? exception) =>
        exception is not null && DatabaseErrors.IsRetryableRollback(exception) && Dependencies.CurrentContext.Context is not TenantryDbContext { CommitSent: true };

    /// <summary>20 ms doubled per retry up to 1 s, each drawn between half and all of it ("equal jitter").</summary>
    protected override TimeSpan? GetNextDelay(Exception lastException)
    {
        var retry = ExceptionsEncountered.Count;
        if (retry > MaxRetryCount)
        {
            return null;
        }
        var ceiling = Math.Min(MaxRetryDelay.TotalMilliseconds, s_firstDelay.TotalMilliseconds * Math.Pow(2, retry - 1));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + Random.Shared.NextDouble() / 2));
    }
}
