using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Tenantry.Cli.Local.Seed;

/// <summary>Column types as the seeder writes them; each sink maps them to its database's wire format.</summary>
internal enum SeedType
{
    Text,
    Integer,
    BigInt,
    Boolean,
    Timestamp,
    Json,
    TextList,
}

internal sealed record SeedTable(string Name, params (string Column, SeedType Type)[] Columns);

/// <summary>
/// Bulk-loads rows straight into the tables the migrations created, inside one transaction:
/// binary COPY on PostgreSQL, one prepared INSERT reused per row on SQLite. Not the request path.
/// </summary>
internal abstract class BulkSink : IAsyncDisposable
{
    public abstract Task WriteAsync(SeedTable table, IEnumerable<object?[]> rows, CancellationToken cancellationToken);

    public abstract Task CommitAsync(CancellationToken cancellationToken);

    /// <summary>Planner statistics for the freshly loaded tables.</summary>
    public abstract Task AnalyzeAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}

internal sealed class PostgresBulkSink : BulkSink
{
    private readonly NpgsqlConnection _connection;
    private NpgsqlTransaction? _transaction;

    private PostgresBulkSink(NpgsqlConnection connection) => _connection = connection;

    public static async Task<PostgresBulkSink> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        // Loading runs far longer than a request; no command timeout.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var sink = new PostgresBulkSink(connection);
        sink._transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            // The rows are consistent by construction; skipping the per-row foreign-key triggers
            // makes COPY several times faster. Needs a superuser; without one the checks just run.
            await using var replica = new NpgsqlCommand("SAVEPOINT fk; SET LOCAL session_replication_role = replica", connection, sink._transaction);
            await replica.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException)
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK TO SAVEPOINT fk", connection, sink._transaction);
            await rollback.ExecuteNonQueryAsync(cancellationToken);
        }
        return sink;
    }

    public override async Task WriteAsync(SeedTable table, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var columns = string.Join(", ", table.Columns.Select(c => c.Column));
        await using var import = await _connection.BeginBinaryImportAsync($"COPY {table.Name} ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await import.StartRowAsync(cancellationToken);
            for (var i = 0; i < row.Length; i++)
            {
                var value = row[i];
                if (value is null)
                {
                    await import.WriteNullAsync(cancellationToken);
                    continue;
                }
                switch (table.Columns[i].Type)
                {
                    case SeedType.Text:
                        await import.WriteAsync((string)value, NpgsqlDbType.Text, cancellationToken);
                        break;
                    case SeedType.Integer:
                        await import.WriteAsync((int)value, NpgsqlDbType.Integer, cancellationToken);
                        break;
                    case SeedType.BigInt:
                        await import.WriteAsync((long)value, NpgsqlDbType.Bigint, cancellationToken);
                        break;
                    case SeedType.Boolean:
                        await import.WriteAsync((bool)value, NpgsqlDbType.Boolean, cancellationToken);
                        break;
                    case SeedType.Timestamp:
                        await import.WriteAsync((DateTime)value, NpgsqlDbType.TimestampTz, cancellationToken);
                        break;
                    case SeedType.Json:
                        await import.WriteAsync((string)value, NpgsqlDbType.Jsonb, cancellationToken);
                        break;
                    case SeedType.TextList:
                        await import.WriteAsync((string[])value, NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
                        break;
                }
            }
        }
        await import.CompleteAsync(cancellationToken);
    }

    public override Task CommitAsync(CancellationToken cancellationToken) => _transaction!.CommitAsync(cancellationToken);

    public override async Task AnalyzeAsync(CancellationToken cancellationToken)
    {
        await using var analyze = new NpgsqlCommand("VACUUM ANALYZE", _connection);
        await analyze.ExecuteNonQueryAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
        }
        await _connection.DisposeAsync();
    }
}

internal sealed class SqliteBulkSink : BulkSink
{
    private readonly SqliteConnection _connection;
    private SqliteTransaction? _transaction;

    private SqliteBulkSink(SqliteConnection connection) => _connection = connection;

    public static async Task<SqliteBulkSink> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var pragmas = connection.CreateCommand())
        {
            // One big transaction; durability of a half-written seed does not matter (it is redone), and
            // the rows are consistent by construction, so foreign keys are not checked row by row.
            pragmas.CommandText = "PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;";
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
        }
        var sink = new SqliteBulkSink(connection);
        sink._transaction = connection.BeginTransaction();
        return sink;
    }

    public override Task WriteAsync(SeedTable table, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        using var insert = _connection.CreateCommand();
        insert.Transaction = _transaction;
        insert.CommandText = $"INSERT INTO {table.Name} ({string.Join(", ", table.Columns.Select(c => c.Column))}) " +
            $"VALUES ({string.Join(", ", table.Columns.Select((_, i) => "$p" + i))})";
        var parameters = table.Columns.Select((_, i) => insert.Parameters.Add(new SqliteParameter { ParameterName = "$p" + i })).ToArray();
        insert.Prepare();
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < row.Length; i++)
            {
                parameters[i].Value = ToSqlite(row[i], table.Columns[i].Type);
            }
            insert.ExecuteNonQuery();
        }
        return Task.CompletedTask;
    }

    // The formats EF Core's SQLite provider writes: timestamps as ISO text, lists as JSON arrays, booleans as 0/1.
    private static object ToSqlite(object? value, SeedType type) => value switch
    {
        null => DBNull.Value,
        DateTime time when type == SeedType.Timestamp => time.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture),
        string[] list => JsonSerializer.Serialize(list),
        bool flag => flag ? 1 : 0,
        _ => value,
    };

    public override Task CommitAsync(CancellationToken cancellationToken) => _transaction!.CommitAsync(cancellationToken);

    public override async Task AnalyzeAsync(CancellationToken cancellationToken)
    {
        await using var analyze = _connection.CreateCommand();
        analyze.CommandText = "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);";
        await analyze.ExecuteNonQueryAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
        }
        await _connection.DisposeAsync();
    }
}
