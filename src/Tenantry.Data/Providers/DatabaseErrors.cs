using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Tenantry.Data.Providers;

/// <summary>Reads provider exceptions so that use cases and the dialects need not know the provider.</summary>
public static class DatabaseErrors
{
    private const int SqliteConstraint = 19;
    private const string PostgresUniqueViolation = "23505";
    private const string PostgresForeignKeyViolation = "23503";

    /// <summary>True when <paramref name="exception"/> (or an inner one) is a violation of <paramref name="key"/>.</summary>
    public static bool IsUniqueViolation(Exception exception, UniqueKey key)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg when pg.SqlState == PostgresUniqueViolation:
                    return NamesIndex(pg, key.IndexName);
                case SqliteException sqlite when sqlite.SqliteErrorCode == SqliteConstraint:
                    return sqlite.Message.Contains($"UNIQUE constraint failed: {key.SqliteDescription}'", StringComparison.Ordinal)
                        || sqlite.Message.Contains($"UNIQUE constraint failed: index '{key.IndexName}'", StringComparison.Ordinal);
            }
        }
        return false;
    }

    /// <summary>
    /// On Citus the violation comes from a shard, whose indexes carry the shard's id after the
    /// table's index name ("ux_invitations_one_pending_102040"); the constraint name may also only
    /// be in the message text, as Citus relays a worker's error.
    /// </summary>
    private static bool NamesIndex(PostgresException pg, string indexName)
    {
        var name = pg.ConstraintName;
        if (string.IsNullOrEmpty(name))
        {
            const string Prefix = "violates unique constraint \"";
            var start = pg.MessageText.IndexOf(Prefix, StringComparison.Ordinal);
            var end = start < 0 ? -1 : pg.MessageText.IndexOf('"', start + Prefix.Length);
            name = end < 0 ? null : pg.MessageText[(start + Prefix.Length)..end];
        }
        if (name is null || !name.StartsWith(indexName, StringComparison.Ordinal))
        {
            return false;
        }
        var shardSuffix = name.AsSpan(indexName.Length);
        return shardSuffix.IsEmpty || (shardSuffix.Length > 1 && shardSuffix[0] == '_' && char.IsAsciiDigit(shardSuffix[1]) && !shardSuffix[1..].ContainsAnyExceptInRange('0', '9'));
    }

    /// <summary>True when <paramref name="exception"/> (or an inner one) says a referenced row does not exist (any foreign key).</summary>
    public static bool IsForeignKeyViolation(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    return pg.SqlState == PostgresForeignKeyViolation;
                case SqliteException sqlite when sqlite.SqliteErrorCode == SqliteConstraint:
                    return sqlite.Message.Contains("FOREIGN KEY constraint failed", StringComparison.Ordinal);
            }
        }
        return false;
    }

    /// <summary>
    /// PostgreSQL's word that it rolled the transaction back and that running it again may succeed: 40P01, a deadlock's
    /// victim (on Citus also the victim of a distributed deadlock, which its detector cancels with the same code), and
    /// 40001, a serialization failure.
    /// </summary>
    private static readonly string[] s_retryableRollbacks = ["40P01", "40001"];

    /// <summary>
    /// True when the database rolled the transaction back and says the same unit may succeed if run again
    /// (<see cref="s_retryableRollbacks"/>): the PostgreSQL providers' execution strategy runs the unit again
    /// (<see cref="Transactions.InTransactionAsync{T}"/>). Never a lost connection or a timeout, whose statement may have been carried out.
    /// </summary>
    public static bool IsRetryableRollback(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException pg)
            {
                return s_retryableRollbacks.Contains(pg.SqlState);
            }
        }
        return false;
    }

    /// <summary>
    /// True when the database could not be reached, did not answer in time, or rolled the transaction back as a
    /// deadlock's victim or a serialization failure more often than the execution strategy tries (nothing of it was
    /// written): the request should answer 503.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    // 08: connection exception; 57P01-03: shutting down / cannot connect now; 53300: too many connections.
                    return pg.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || pg.SqlState is "57P01" or "57P02" or "57P03" or "53300"
                        || s_retryableRollbacks.Contains(pg.SqlState);
                case NpgsqlException npgsql when npgsql.IsTransient:
                case SocketException:
                case TimeoutException:
                    return true;
                case SqliteException sqlite:
                    // BUSY, LOCKED, IOERR, FULL, CANTOPEN.
                    return sqlite.SqliteErrorCode is 5 or 6 or 10 or 13 or 14;
            }
        }
        return false;
    }
}
