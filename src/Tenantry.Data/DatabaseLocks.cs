using Microsoft.EntityFrameworkCore;
using Npgsql;
using Tenantry.Data.Providers;

namespace Tenantry.Data;

/// <summary>
/// Locks that every replica sharing the database sees, for work that several replicas may
/// start at the same moment (applying migrations, creating the next signing key). On
/// PostgreSQL they are advisory locks; SQLite is single-node, and its transactions already
/// hold the database write lock from their first statement (BEGIN IMMEDIATE).
/// </summary>
public static class DatabaseLocks
{
    // Fixed 64-bit keys in PostgreSQL's advisory-lock space ("tenantry" in ASCII, plus a number per purpose).
    private const long Migrations = 0x74656E616E747279;
    public const long SigningKeys = 0x74656E616E747279 + 1;

    /// <summary>Takes <paramref name="key"/> until the current transaction ends (PostgreSQL); call it inside a transaction.</summary>
    public static async Task LockForTransactionAsync(this TenantryDbContext db, long key, CancellationToken cancellationToken)
    {
        if (db.Provider == DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", cancellationToken);
        }
    }

    /// <summary>
    /// Takes the migration lock on a connection of its own, held until disposed or until the
    /// process dies (PostgreSQL drops a session's locks with its connection). Waits as long as
    /// another migrator runs: a replica must not serve an older schema than the one being applied.
    /// </summary>
    internal static async Task<IAsyncDisposable> LockMigrationsAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection) { CommandTimeout = 0 };
            command.Parameters.AddWithValue("key", Migrations);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new SessionLock(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed class SessionLock(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
                command.Parameters.AddWithValue("key", Migrations);
                await command.ExecuteNonQueryAsync();
            }
            finally
            {
                // Closing also ends the session's locks if the unlock above failed.
                await connection.DisposeAsync();
            }
        }
    }
}
