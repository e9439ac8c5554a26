using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Tenantry.Data.Providers;

/// <summary>
/// Applies pending migrations, at start-up and from the <c>migrate</c> command. Replicas that
/// start together take turns: on PostgreSQL the whole run holds an advisory lock, because EF
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
        await using (await DatabaseLocks.LockMigrationsAsync(services.GetRequiredService<NpgsqlDataSource>(), cancellationToken))
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
    }

    public static async Task<IReadOnlyList<string>> PendingMigrationsAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TenantryDbContext>();
        return [.. await db.Database.GetPendingMigrationsAsync(cancellationToken)];
    }
}
