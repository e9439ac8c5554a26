using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Tenantry.Data.Changes;
using Tenantry.Data.Providers.Postgres;
using Tenantry.Data.Providers.Sqlite;

namespace Tenantry.Data.Providers;

public static class DatabaseServiceCollectionExtensions
{
    /// <summary>
    /// Registers the pooled <see cref="TenantryDbContext"/> on the configured provider, and
    /// <see cref="Lazy{T}"/> of it for use cases whose reads a cache usually answers. Interceptors other
    /// layers register as <see cref="ISaveChangesInterceptor"/> (the webhook event interceptor) are added after the change feed's.
    /// </summary>
    public static IServiceCollection AddTenantryDatabase(this IServiceCollection services, DatabaseOptions options, string dataDir)
    {
        services.AddSingleton(options);
        // With several replicas on one PostgreSQL database, caches are trusted only while the broadcast listens.
        services.AddSingleton(new DataChangeFeed(requiresBroadcast: options.Provider != DatabaseProvider.Sqlite));
        services.AddSingleton<DataChangeInterceptor>();
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                var connectionString = SqliteConnectionString(options, dataDir);
                services.AddDbContextPool<TenantryDbContext, SqliteTenantryDbContext>((provider, db) => db
                    .UseSqlite(connectionString, sqlite => sqlite.CommandTimeout(options.CommandTimeoutSeconds))
                    .UseSnakeCaseNamingConvention()
                    .ConfigureWarnings(QuietFailures)
                    .AddInterceptors(SqliteConnectionPragmas.Instance, provider.GetRequiredService<DataChangeInterceptor>())
                    .AddInterceptors(provider.GetServices<ISaveChangesInterceptor>()));
                break;
            case DatabaseProvider.Postgres:
            case DatabaseProvider.Citus: // the coordinator speaks PostgreSQL; the migrator distributes the tables
                var dataSource = PostgresDataSource(options);
                services.AddSingleton(dataSource);
                services.AddSingleton<PostgresChangeBroadcast>();
                services.AddHostedService(provider => provider.GetRequiredService<PostgresChangeBroadcast>());
                services.AddDbContextPool<TenantryDbContext, PostgresTenantryDbContext>((provider, db) => db
                    .UseNpgsql(dataSource, npgsql => npgsql
                        .CommandTimeout(options.CommandTimeoutSeconds)
                        .ExecutionStrategy(dependencies => new RollbackRetryingExecutionStrategy(dependencies)))
                    .UseSnakeCaseNamingConvention()
                    .ConfigureWarnings(QuietFailures)
                    .AddInterceptors(provider.GetRequiredService<DataChangeInterceptor>())
                    .AddInterceptors(provider.GetServices<ISaveChangesInterceptor>()));
                break;
            default:
                throw new InvalidOperationException($"Unknown database provider '{options.Provider}'.");
        }
        // The request's context for reads that a cache usually answers: leased from the pool only when used.
        services.AddScoped(provider => new Lazy<TenantryDbContext>(provider.GetRequiredService<TenantryDbContext>));
        return services;
    }

    /// <summary>
    /// A failed command or SaveChanges is logged by EF Core at Debug, not Error. The failure is an
    /// exception that whoever called the database decides about: a use case that expects it (a unique
    /// index deciding a race, a duplicate role name: <see cref="DatabaseErrors.IsUniqueViolation"/>)
    /// turns it into an answer, and those are not errors; anything else reaches the request's exception
    /// handler or the background loop's catch, which log it once at Error (Warning when the database is
    /// unavailable) with the exception. EF Core's own two entries per failure (with the SQL) stay
    /// available at Debug under Microsoft.EntityFrameworkCore.Database.Command and .Update. A unit of work run again
    /// after the database rolled it back (a deadlock's victim: <see cref="Transactions"/>) is logged at Warning, with
    /// the error: the request succeeds, but an operator should see how often transactions collide.
    /// </summary>
    private static void QuietFailures(WarningsConfigurationBuilder warnings) =>
        warnings.Log((RelationalEventId.CommandError, LogLevel.Debug), (CoreEventId.SaveChangesFailed, LogLevel.Debug),
            (CoreEventId.ExecutionStrategyRetrying, LogLevel.Warning));

    public static string SqliteConnectionString(DatabaseOptions options, string dataDir)
    {
        var path = Path.IsPathRooted(options.SqliteFile) ? options.SqliteFile : Path.Combine(dataDir, options.SqliteFile);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(path),
            Pooling = true,
            DefaultTimeout = options.CommandTimeoutSeconds,
        }.ToString();
    }

    /// <summary>The data source of the PostgreSQL and Citus providers: the connection string with Tenantry's defaults for what it leaves unset.</summary>
    public static NpgsqlDataSource PostgresDataSource(DatabaseOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.PostgresConnectionString))
        {
            throw new InvalidOperationException(
                $"Tenantry:Database:Provider is {options.Provider} but ConnectionStrings:Postgres is not set.");
        }
        var builder = new NpgsqlDataSourceBuilder(options.PostgresConnectionString);
        // Opening a connection keeps the connection string's Timeout (Npgsql's 15 s unless it says otherwise): a burst of
        // new connections to a loaded Citus coordinator takes seconds each, and a shorter limit turned the pool's warm-up
        // into failures (docs/BENCHMARKS.md, round five). Readiness has its own, shorter deadline (ConnectTimeoutSeconds).
        var configured = ConfiguredKeywords(options.PostgresConnectionString);
        if (!configured.Contains("maxautoprepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = options.AutoPrepareStatements;
        }
        if (options.Provider == DatabaseProvider.Citus)
        {
            // One connection per node within a transaction: Citus refuses to write a reference table
            // (the directory) after a parallel multi-shard statement in the same transaction.
            builder.ConnectionStringBuilder.Options = $"{builder.ConnectionStringBuilder.Options} -c citus.multi_shard_modify_mode=sequential".Trim();
        }
        return builder.Build();
    }

    // The keywords a connection string sets, spaces removed and lower-cased as Npgsql matches them
    // ("Max Auto Prepare", "MaxAutoPrepare"). Npgsql's own builder cannot tell: its ContainsKey is
    // true for every keyword it knows, set or not.
    private static HashSet<string> ConfiguredKeywords(string connectionString) =>
        new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(keyword => keyword.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Per-connection settings SQLite does not keep in the file.</summary>
    private sealed class SqliteConnectionPragmas : DbConnectionInterceptor
    {
        public static readonly SqliteConnectionPragmas Instance = new();

        // WAL with synchronous=NORMAL: a committed transaction survives a process crash
        // (SIGKILL); only an OS crash or power loss may drop the last few commits.
        private const string Pragmas = "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;";

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
