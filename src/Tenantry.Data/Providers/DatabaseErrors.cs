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
    /// True when the database could not be reached, did not answer in time, or gave up the transaction as
    /// a deadlock's victim (nothing of it was written; on Citus, concurrent writes to the directory's
    /// reference tables can meet in opposite orders on their shard locks): the request should answer 503.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    // 08: connection exception; 57P01-03: shutting down / cannot connect now; 53300: too many connections;
                    // 40P01: deadlock detected (the victim's transaction is rolled back; trying again succeeds).
                    return pg.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || pg.SqlState is "57P01" or "57P02" or "57P03" or "53300" or "40P01";
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
