using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tenantry.Data.Providers.Citus;

namespace Tenantry.Data.Providers;

/// <summary>
/// Applies pending migrations, at start-up and from the <c>migrate</c> command. Replicas that
/// start together take turns: on PostgreSQL (and Citus) the whole run holds an advisory lock, because EF
/// Core's own migration lock lasts only one migration's transaction and a replica waiting on it
/// could then re-apply a migration that another replica has just applied.
/// </summary>
public static class DatabaseMigrator
{
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TenantryDbContext>();
        var options = scope.ServiceProvider.GetRequiredService<DatabaseOptions>();
        // Request queries are cut short (CommandTimeoutSeconds); a migration may rewrite a big table.
        // The context goes back to the pool afterwards, so the request timeout is restored.
        var requestTimeout = db.Database.GetCommandTimeout();
        db.Database.SetCommandTimeout(TimeSpan.FromSeconds(options.MigrationTimeoutSeconds));
        try
        {
            await MigrateAsync(db, scope.ServiceProvider, cancellationToken);
        }
        finally
        {
            db.Database.SetCommandTimeout(requestTimeout);
        }
    }

    private static async Task MigrateAsync(TenantryDbContext db, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (db.Provider == DatabaseProvider.Sqlite)
        {
            var file = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            // WAL lets readers proceed while a writer commits; the setting is stored in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
            return;
        }
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        var options = services.GetRequiredService<DatabaseOptions>();
        await using (await DatabaseLocks.LockMigrationsAsync(dataSource, cancellationToken))
        {
            await db.Database.MigrateAsync(cancellationToken);
            if (options.Provider == DatabaseProvider.Citus)
            {
                // Under the same lock: replicas starting together distribute the tables once.
                await CitusDistribution.ApplyAsync(dataSource, options.MigrationTimeoutSeconds, cancellationToken);
            }
        }
    }

    /// <summary>
    /// What must hold whether or not this process migrates: on Citus, that the connection string
    /// reaches the coordinator (advisory locks and LISTEN/NOTIFY are per node).
    /// </summary>
    public static async Task CheckTopologyAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetRequiredService<DatabaseOptions>().Provider == DatabaseProvider.Citus)
        {
            await CitusDistribution.RequireCoordinatorAsync(services.GetRequiredService<NpgsqlDataSource>(), cancellationToken);
        }
    }

    public static async Task<IReadOnlyList<string>> PendingMigrationsAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TenantryDbContext>();
        return [.. await db.Database.GetPendingMigrationsAsync(cancellationToken)];
    }
}
