using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tenantry.Data;
using Tenantry.Data.Providers;

namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>
/// The database an app under test runs on, chosen by the test run's parameter
/// <c>TENANTRY_TEST_DATABASE</c> (<c>sqlite</c>, the default, or <c>postgres</c>, which needs
/// <c>TENANTRY_TEST_POSTGRES</c>: an admin connection string, or <c>citus</c>, where that string
/// names a database of a Citus coordinator with its workers registered). Every app gets a database
/// of its own, so tests never see each other's data: on SQLite a new file; on PostgreSQL and Citus a
/// copy of one migrated template, or a copy a finished app left, emptied (see <see cref="DisposeAsync"/>).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly IReadOnlyList<string> _adminConnectionStrings;
    private readonly string? _databaseName;

    /// <summary>The template this database is a copy of, when it may be emptied and used again.</summary>
    private Template? _copyOf;

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
                // A copy of a file migrated once: the app's start-up migration then only checks it.
                File.Copy(await s_sqliteTemplate.Value, Path.Combine(dataDir, new DatabaseOptions().SqliteFile));
                return new TestDatabase("Sqlite", new Dictionary<string, string?>
                {
                    ["Tenantry:DataDir"] = dataDir,
                    ["Tenantry:Database:Provider"] = "Sqlite",
                }, [], null, dataDir);
            case "postgres" or "citus":
                return await CopyOfTemplateAsync(dataDir);
            default:
                throw new InvalidOperationException($"Unknown TENANTRY_TEST_DATABASE '{ProviderUnderTest}': use sqlite, postgres or citus.");
        }
    }

    private static readonly Lazy<Task<string>> s_sqliteTemplate = new(async () =>
    {
        var dataDir = Directory.CreateTempSubdirectory("tenantry-test-template-").FullName;
        await using (var services = new ServiceCollection().AddTenantryDatabase(new DatabaseOptions { Provider = DatabaseProvider.Sqlite }, dataDir).BuildServiceProvider())
        {
            await DatabaseMigrator.MigrateAsync(services, CancellationToken.None);
        }
        // Closing the last connection folds the write-ahead log into the file.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return Path.Combine(dataDir, new DatabaseOptions().SqliteFile);
    });

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
    /// A database that is, to its app, a freshly migrated one (Citus: distributed too): one that an
    /// earlier app left and <see cref="DisposeAsync"/> emptied, or else a new copy of one template this
    /// test process migrates once. Migrating took about 0.75 s per database on PostgreSQL and seconds
    /// on Citus; a reused copy also skips creating and dropping one (on Citus, on three nodes).
    /// On Citus every node copies its own part of the template, so the copies agree with each other.
    /// </summary>
    private static async Task<TestDatabase> CopyOfTemplateAsync(string dataDir)
    {
        var template = await s_template.Value;
        var provider = IsCitus ? "Citus" : "Postgres";
        if (!s_emptied.TryTake(out var name))
        {
            name = NewDatabaseName();
            // Copies of one template one at a time: CREATE DATABASE ... TEMPLATE takes the template exclusively.
            await TemplateCopies.WaitAsync();
            try
            {
                await Task.WhenAll(template.Nodes.Select(node => ExecuteAsync(node, $"CREATE DATABASE \"{name}\" TEMPLATE \"{template.Name}\" STRATEGY FILE_COPY")));
            }
            finally
            {
                TemplateCopies.Release();
            }
            if (IsCitus)
            {
                // Citus's metadata keeps the database itself as a distributed object by OID, which in a copy is the
                // template's: point it at the copy, as if made directly (adding a node would otherwise sync the template's name).
                await Task.WhenAll(template.Nodes.Select(node => ExecuteAsync(On(node, name),
                    "UPDATE pg_catalog.pg_dist_object SET objid = (SELECT oid FROM pg_database WHERE datname = current_database()) " +
                    "WHERE classid = 'pg_catalog.pg_database'::regclass")));
            }
        }
        return new TestDatabase(provider, ServerSettings(dataDir, provider, template.Nodes[0], name), template.Nodes, name, dataDir) { _copyOf = template };
    }

    /// <summary>The migrated template; <paramref name="Tables"/> lists what emptying a copy truncates, <paramref name="Shape"/> is <see cref="ShapeAsync"/> of it.</summary>
    private sealed record Template(string Name, string[] Nodes, string Tables, string Shape);

    private static readonly Lazy<Task<Template>> s_template = new(PrepareTemplateAsync);

    /// <summary>Copies that finished apps left, emptied and with the template's shape, for the next app.</summary>
    private static readonly global::System.Collections.Concurrent.ConcurrentBag<string> s_emptied = [];

    private static readonly SemaphoreSlim TemplateCopies = new(1, 1);

    private static async Task<Template> PrepareTemplateAsync()
    {
        var dataDir = Directory.CreateTempSubdirectory("tenantry-test-").FullName;
        var empty = IsCitus ? await CreateEmptyCitusAsync(dataDir) : await CreatePostgresAsync(dataDir);
        await using (var services = new ServiceCollection().AddTenantryDatabase(
            new DatabaseOptions { Provider = IsCitus ? DatabaseProvider.Citus : DatabaseProvider.Postgres, PostgresConnectionString = empty.PostgresConnectionString }, dataDir).BuildServiceProvider())
        {
            await DatabaseMigrator.MigrateAsync(services, CancellationToken.None);
        }
        var name = empty._databaseName!;
        string tables, shape;
        await using (var coordinator = new NpgsqlConnection(On(empty._adminConnectionStrings[0], name)))
        {
            await coordinator.OpenAsync();
            // Every table the app owns: on Citus those it placed (the coordinator also holds shards of reference tables).
            // Not the list stamp's: its rows come with the migration, as the schema does (Data/Changes/ListStamps).
            tables = (string)(await ScalarAsync(coordinator, IsCitus
                ? "SELECT string_agg(logicalrelid::regclass::text, ', ' ORDER BY 1) FROM pg_dist_partition WHERE logicalrelid::regclass::text <> 'list_stamps'"
                : "SELECT string_agg(format('%I', tablename), ', ' ORDER BY 1) FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('__EFMigrationsHistory', 'list_stamps')"))!;
            shape = await ShapeAsync(coordinator);
        }
        var template = new Template(name, [.. empty._adminConnectionStrings], tables, shape);
        // A template must have no connections: refuse new ones, then end Citus's own (its maintenance
        // daemon, the coordinator's cached connections to the workers), coordinator first.
        foreach (var node in template.Nodes)
        {
            await ExecuteAsync(node, $"ALTER DATABASE \"{name}\" WITH ALLOW_CONNECTIONS false");
            await ExecuteAsync(node, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()");
        }
        return template;
    }

    /// <summary>
    /// Drops what this test process kept: the emptied copies and the templates. Called once, when every
    /// test class has run (<see cref="TestRunFramework"/>); the cluster may be gone already.
    /// </summary>
    public static async Task DropKeptAsync()
    {
        if (s_sqliteTemplate.IsValueCreated && s_sqliteTemplate.Value.IsCompletedSuccessfully)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(s_sqliteTemplate.Value.Result)!, recursive: true);
        }
        if (!s_template.IsValueCreated || !s_template.Value.IsCompletedSuccessfully)
        {
            return;
        }
        var template = s_template.Value.Result;
        NpgsqlConnection.ClearAllPools();
        foreach (var database in s_emptied.Append(template.Name))
        {
            foreach (var node in template.Nodes)
            {
                try
                {
                    await DropDatabaseAsync(node, database);
                }
                catch (NpgsqlException)
                {
                    // The cluster is gone already.
                }
            }
        }
    }

    /// <summary>
    /// What a test may have changed in a database beyond its rows: its tables, indexes, constraints,
    /// triggers and functions, and on Citus its nodes and shard placements (a node added,
    /// shards moved); also any transaction left prepared. A copy whose shape differs from the
    /// template's is dropped, not used again.
    /// </summary>
    private static async Task<string> ShapeAsync(NpgsqlConnection connection) => (string)(await ScalarAsync(connection, $"""
        SELECT md5(string_agg(part, ',' ORDER BY part)) FROM (
            SELECT 'relation ' || c.relname || ' ' || c.relkind::text FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
            UNION ALL SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname FROM pg_constraint WHERE connamespace = 'public'::regnamespace
            UNION ALL SELECT 'trigger ' || tgrelid::regclass::text || ' ' || tgname FROM pg_trigger WHERE NOT tgisinternal
            UNION ALL SELECT 'function ' || oid::regprocedure::text FROM pg_proc WHERE pronamespace = 'public'::regnamespace
            UNION ALL SELECT 'prepared ' || gid FROM pg_prepared_xacts WHERE database = current_database()
            {(IsCitus ? """
            UNION ALL SELECT 'node ' || nodename || ':' || nodeport || ' ' || isactive::text FROM pg_dist_node
            UNION ALL SELECT 'placement ' || shardid || ' ' || groupid FROM pg_dist_placement
            """ : "")}
        ) shape(part)
        """))!;

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

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return await ScalarAsync(connection, sql);
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 120 };
        return await command.ExecuteScalarAsync();
    }

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

    /// <summary>
    /// Empties a copy of the template for the next app, if it still has the template's shape: its
    /// connections ended, then one TRUNCATE of every table (on Citus, of every shard), which also
    /// restarts any identity. A copy whose rows stay locked is dropped instead.
    /// </summary>
    private static async Task<bool> EmptiedAsync(Template template, string database)
    {
        try
        {
            // Connections the app's pools and the test left open (dropping the database ended them): on
            // every node, the coordinator first, as it holds connections to the workers.
            const string endOthers = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()";
            await using var connection = new NpgsqlConnection(On(template.Nodes[0], database));
            await connection.OpenAsync();
            await ScalarAsync(connection, endOthers);
            foreach (var worker in template.Nodes.Skip(1))
            {
                await ExecuteAsync(On(worker, database), endOthers);
            }
            if (await ShapeAsync(connection) != template.Shape)
            {
                return false;
            }
            await using var truncate = new NpgsqlCommand($"SET lock_timeout = '5s'; TRUNCATE {template.Tables} RESTART IDENTITY", connection);
            await truncate.ExecuteNonQueryAsync();
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_databaseName is not null && _adminConnectionStrings.Count > 0)
        {
            NpgsqlConnection.ClearAllPools();
            if (_copyOf is not null && await EmptiedAsync(_copyOf, _databaseName))
            {
                s_emptied.Add(_databaseName);
            }
            else
            {
                // The coordinator first: it holds connections to the workers' copies.
                foreach (var admin in _adminConnectionStrings)
                {
                    await DropDatabaseAsync(admin, _databaseName);
                }
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
