using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tenantry.Data;
using Tenantry.Data.Providers;

namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>
/// The database an app under test runs on, chosen by the test run's parameter
/// <c>TENANTRY_TEST_DATABASE</c> (<c>sqlite</c>, the default, or <c>postgres</c>, which needs
/// <c>TENANTRY_TEST_POSTGRES</c>: an admin connection string, or <c>citus</c>, where that string
/// names a database of a Citus coordinator with its workers registered). Every app gets its own
/// database, created here and dropped on dispose, so tests never see each other's data.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly IReadOnlyList<string> _adminConnectionStrings;
    private readonly string? _databaseName;

    private TestDatabase(string provider, IReadOnlyDictionary<string, string?> settings, IReadOnlyList<string> adminConnectionStrings, string? databaseName, string? dataDir)
    {
        Provider = provider;
        Settings = settings;
        _adminConnectionStrings = adminConnectionStrings;
        _databaseName = databaseName;
        DataDir = dataDir;
    }

    public static string ProviderUnderTest =>
        (Environment.GetEnvironmentVariable("TENANTRY_TEST_DATABASE") ?? "sqlite").Trim().ToLowerInvariant();

    /// <summary>True when the run's database speaks PostgreSQL: plain PostgreSQL or a Citus coordinator.</summary>
    public static bool IsPostgres => ProviderUnderTest is "postgres" or "citus";

    public static bool IsCitus => ProviderUnderTest == "citus";

    /// <summary>"Sqlite", "Postgres" or "Citus": the value of Tenantry:Database:Provider.</summary>
    public string Provider { get; }

    /// <summary>Configuration the app needs to use this database.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    public string? DataDir { get; }

    public string? PostgresConnectionString => Settings.TryGetValue("ConnectionStrings:Postgres", out var cs) ? cs : null;

    /// <summary>On Citus: this database on each worker node (the app talks to the coordinator's).</summary>
    public IEnumerable<string> CitusWorkerConnectionStrings =>
        Provider == "Citus" && _databaseName is not null ? _adminConnectionStrings.Skip(1).Select(node => On(node, _databaseName)) : [];

    public static async Task<TestDatabase> CreateAsync()
    {
        var dataDir = Directory.CreateTempSubdirectory("tenantry-test-").FullName;
        switch (ProviderUnderTest)
        {
            case "sqlite":
                return new TestDatabase("Sqlite", new Dictionary<string, string?>
                {
                    ["Tenantry:DataDir"] = dataDir,
                    ["Tenantry:Database:Provider"] = "Sqlite",
                }, [], null, dataDir);
            case "postgres":
                return await CreatePostgresAsync(dataDir);
            case "citus":
                return await CreateCitusAsync(dataDir);
            default:
                throw new InvalidOperationException($"Unknown TENANTRY_TEST_DATABASE '{ProviderUnderTest}': use sqlite, postgres or citus.");
        }
    }

    /// <summary>
    /// A fresh PostgreSQL database whatever the run's provider, for tests that only make sense
    /// on PostgreSQL (replicas sharing one database). They carry <see cref="PostgresOnly"/>;
    /// outside the postgres run this fails loudly rather than skipping.
    /// </summary>
    public static Task<TestDatabase> CreatePostgresAsync()
    {
        PostgresOnly.Require();
        return CreatePostgresAsync(Directory.CreateTempSubdirectory("tenantry-test-").FullName);
    }

    /// <summary>A new database on the server of an admin connection string (<c>TENANTRY_TEST_POSTGRES</c> unless given).</summary>
    public static async Task<TestDatabase> CreatePostgresAsync(string dataDir, string? adminConnectionString = null)
    {
        var admin = adminConnectionString ?? AdminConnectionString();
        var name = NewDatabaseName();
        await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\"");
        return new TestDatabase("Postgres", ServerSettings(dataDir, "Postgres", admin, name), [admin], name, dataDir);
    }

    /// <summary>
    /// A new database on every node of the Citus cluster whose coordinator
    /// <c>TENANTRY_TEST_POSTGRES</c> names, already migrated and distributed: each node copies its
    /// part of one template that this test process prepares once (migrating and distributing takes
    /// seconds per database on Citus, copying a template a fraction of that). The copies agree with
    /// each other because every node copies the same template's own part.
    /// </summary>
    private static async Task<TestDatabase> CreateCitusAsync(string dataDir)
    {
        var template = await s_citusTemplate.Value;
        var name = NewDatabaseName();
        // Copies of one template one at a time: CREATE DATABASE ... TEMPLATE takes the template exclusively.
        await CitusSetup.WaitAsync();
        try
        {
            await Task.WhenAll(template.Nodes.Select(node => ExecuteAsync(node, $"CREATE DATABASE \"{name}\" TEMPLATE \"{template.Name}\"")));
        }
        finally
        {
            CitusSetup.Release();
        }
        // Citus's metadata keeps the database itself as a distributed object by OID, which in a copy is the
        // template's: point it at the copy, as if made directly (adding a node would otherwise sync the template's name).
        await Task.WhenAll(template.Nodes.Select(node => ExecuteAsync(On(node, name),
            "UPDATE pg_catalog.pg_dist_object SET objid = (SELECT oid FROM pg_database WHERE datname = current_database()) " +
            "WHERE classid = 'pg_catalog.pg_database'::regclass")));
        return new TestDatabase("Citus", ServerSettings(dataDir, "Citus", template.Nodes[0], name), template.Nodes, name, dataDir);
    }

    private sealed record CitusTemplate(string Name, string[] Nodes);

    private static readonly Lazy<Task<CitusTemplate>> s_citusTemplate = new(PrepareCitusTemplateAsync);

    private static async Task<CitusTemplate> PrepareCitusTemplateAsync()
    {
        var empty = await CreateEmptyCitusAsync(Directory.CreateTempSubdirectory("tenantry-test-").FullName);
        await using (var services = new ServiceCollection().AddTenantryDatabase(
            new DatabaseOptions { Provider = DatabaseProvider.Citus, PostgresConnectionString = empty.PostgresConnectionString }, empty.DataDir!).BuildServiceProvider())
        {
            await DatabaseMigrator.MigrateAsync(services, CancellationToken.None);
        }
        // A template must have no connections: refuse new ones, then end Citus's own (its maintenance
        // daemon, the coordinator's cached connections to the workers), coordinator first.
        foreach (var node in empty._adminConnectionStrings)
        {
            await ExecuteAsync(node, $"ALTER DATABASE \"{empty._databaseName}\" WITH ALLOW_CONNECTIONS false");
            await ExecuteAsync(node, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{empty._databaseName}' AND pid <> pg_backend_pid()");
        }
        var template = new CitusTemplate(empty._databaseName!, [.. empty._adminConnectionStrings]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var node in template.Nodes)
            {
                try
                {
                    DropDatabaseAsync(node, template.Name).GetAwaiter().GetResult();
                }
                catch (NpgsqlException)
                {
                    // The cluster is gone already (./test.sh removes it).
                }
            }
        };
        return template;
    }

    /// <summary>
    /// A new, empty database on every node of the Citus cluster: the extension on every node and
    /// the workers registered on its coordinator, as the cluster script does for its own database.
    /// The shard count is the admin database's. Tests of the migrations themselves start here.
    /// </summary>
    public static async Task<TestDatabase> CreateEmptyCitusAsync(string dataDir)
    {
        var coordinator = AdminConnectionString();
        var workers = new List<string>();
        string shardCount;
        await using (var connection = new NpgsqlConnection(coordinator))
        {
            await connection.OpenAsync();
            await using (var list = new NpgsqlCommand("SELECT nodename, nodeport FROM pg_dist_node WHERE groupid <> 0 AND isactive ORDER BY nodeport", connection))
            await using (var reader = await list.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    workers.Add(new NpgsqlConnectionStringBuilder(coordinator) { Host = reader.GetString(0), Port = reader.GetInt32(1) }.ConnectionString);
                }
            }
            await using var shards = new NpgsqlCommand("SELECT current_setting('citus.shard_count')", connection);
            shardCount = (string)(await shards.ExecuteScalarAsync())!;
        }
        if (workers.Count == 0)
        {
            throw new InvalidOperationException("TENANTRY_TEST_DATABASE=citus: the database of TENANTRY_TEST_POSTGRES has no worker nodes; start the cluster with ../shared/tools/citus-cluster.sh up.");
        }
        var name = NewDatabaseName();
        string[] nodes = [coordinator, .. workers];
        // One database at a time: registering workers syncs cluster-wide objects (roles), and two
        // registrations at once fail with "tuple concurrently updated".
        await CitusSetup.WaitAsync();
        try
        {
            await Task.WhenAll(nodes.Select(async node =>
            {
                await ExecuteAsync(node, $"CREATE DATABASE \"{name}\"");
                await ExecuteAsync(On(node, name), "CREATE EXTENSION citus");
            }));
            var coordinatorNode = new NpgsqlConnectionStringBuilder(coordinator);
            await ExecuteAsync(coordinator, $"ALTER DATABASE \"{name}\" SET citus.shard_count = {int.Parse(shardCount, global::System.Globalization.CultureInfo.InvariantCulture)}");
            await ExecuteAsync(On(coordinator, name),
                $"SELECT citus_set_coordinator_host('{coordinatorNode.Host}', {coordinatorNode.Port});" +
                string.Concat(workers.Select(w => new NpgsqlConnectionStringBuilder(w)).Select(w => $"SELECT citus_add_node('{w.Host}', {w.Port});")));
        }
        finally
        {
            CitusSetup.Release();
        }
        return new TestDatabase("Citus", ServerSettings(dataDir, "Citus", coordinator, name), nodes, name, dataDir);
    }

    private static readonly SemaphoreSlim CitusSetup = new(1, 1);

    private static string AdminConnectionString()
    {
        var admin = Environment.GetEnvironmentVariable("TENANTRY_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(admin))
        {
            throw new InvalidOperationException(
                $"TENANTRY_TEST_DATABASE={ProviderUnderTest} needs TENANTRY_TEST_POSTGRES (an admin connection string). Run ./test.sh, which starts a throwaway cluster.");
        }
        return admin;
    }

    private static string NewDatabaseName() => "tenantry_test_" + Guid.NewGuid().ToString("N")[..16];

    private static string On(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database, Pooling = false }.ConnectionString;

    private static Dictionary<string, string?> ServerSettings(string dataDir, string provider, string admin, string database) => new()
    {
        ["Tenantry:DataDir"] = dataDir,
        ["Tenantry:Database:Provider"] = provider,
        ["ConnectionStrings:Postgres"] = new NpgsqlConnectionStringBuilder(admin) { Database = database, Pooling = true }.ConnectionString,
    };

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 120 };
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Drops a database, terminating its connections. On a Citus node the extension's maintenance daemon
    /// can connect again between FORCE's termination and the drop (55006, object in use): try again then.
    /// </summary>
    private static async Task DropDatabaseAsync(string admin, string database)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 20)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_databaseName is not null && _adminConnectionStrings.Count > 0)
        {
            NpgsqlConnection.ClearAllPools();
            // The coordinator first: it holds connections to the workers' copies.
            foreach (var admin in _adminConnectionStrings)
            {
                await DropDatabaseAsync(admin, _databaseName);
            }
        }
        if (DataDir is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDir, recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a background thread; the OS temp cleaner will get it.
            }
        }
    }
}
