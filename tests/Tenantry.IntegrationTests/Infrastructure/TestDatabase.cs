using Npgsql;

namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>
/// The database an app under test runs on, chosen by the test run's parameter
/// <c>TENANTRY_TEST_DATABASE</c> (<c>sqlite</c>, the default, or <c>postgres</c>, which needs
/// <c>TENANTRY_TEST_POSTGRES</c>: an admin connection string). Every app gets its own
/// database, created here and dropped on dispose, so tests never see each other's data.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _adminConnectionString;
    private readonly string? _databaseName;

    private TestDatabase(string provider, IReadOnlyDictionary<string, string?> settings, string? adminConnectionString, string? databaseName, string? dataDir)
    {
        Provider = provider;
        Settings = settings;
        _adminConnectionString = adminConnectionString;
        _databaseName = databaseName;
        DataDir = dataDir;
    }

    public static string ProviderUnderTest =>
        (Environment.GetEnvironmentVariable("TENANTRY_TEST_DATABASE") ?? "sqlite").Trim().ToLowerInvariant();

    public static bool IsPostgres => ProviderUnderTest == "postgres";

    /// <summary>"Sqlite" or "Postgres": the value of Tenantry:Database:Provider.</summary>
    public string Provider { get; }

    /// <summary>Configuration the app needs to use this database.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    public string? DataDir { get; }

    public string? PostgresConnectionString => Settings.TryGetValue("ConnectionStrings:Postgres", out var cs) ? cs : null;

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
                }, null, null, dataDir);
            case "postgres":
                return await CreatePostgresAsync(dataDir);
            default:
                throw new InvalidOperationException($"Unknown TENANTRY_TEST_DATABASE '{ProviderUnderTest}': use sqlite or postgres.");
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
        var admin = adminConnectionString ?? Environment.GetEnvironmentVariable("TENANTRY_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(admin))
        {
            throw new InvalidOperationException(
                "TENANTRY_TEST_DATABASE=postgres needs TENANTRY_TEST_POSTGRES (an admin connection string). Run ./test.sh, which starts a throwaway cluster.");
        }
        var name = "tenantry_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ConnectionString;
        return new TestDatabase("Postgres", new Dictionary<string, string?>
        {
            ["Tenantry:DataDir"] = dataDir,
            ["Tenantry:Database:Provider"] = "Postgres",
            ["ConnectionStrings:Postgres"] = connectionString,
        }, admin, name, dataDir);
    }

    public async ValueTask DisposeAsync()
    {
        if (_adminConnectionString is not null && _databaseName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_databaseName}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
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
