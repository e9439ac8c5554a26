using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Tenantry.Data.Providers;
using Tenantry.Data.Providers.Citus;
using Tenantry.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Tenantry.IntegrationTests.Replicas;

/// <summary>
/// Replicas that start together against an empty database: each applies the migrations at
/// start-up, and exactly one must do the work while the others wait and then find nothing to do.
/// (EF Core's own migration lock is not enough on PostgreSQL: it is taken per migration
/// transaction, so a second migrator could re-apply a later migration; found by this test.)
/// </summary>
[Trait(PostgresOnly.Trait, PostgresOnly.Value)]
public sealed class MigrationRaceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Three_server_processes_started_at_once_on_an_empty_database_all_come_up()
    {
        await using var database = await TestDatabase.CreatePostgresAsync();
        await ThreeServersComeUpAsync(database, output);
    }

    /// <summary>Three server processes launched at once on <paramref name="database"/>, empty: all ready, every migration applied once, one signing key.</summary>
    internal static async Task ThreeServersComeUpAsync(TestDatabase database, ITestOutputHelper output)
    {
        var settings = ServerSettings.For(database);
        var launched = Stopwatch.StartNew();
        var servers = Enumerable.Range(1, 3).Select(i => ServerProcess.Launch($"replica-{i}", settings)).ToList();
        try
        {
            var up = await Task.WhenAll(servers.Select(s => s.WaitAsync()));
            Assert.True(up.All(u => u), "A replica did not start:\n" + string.Join("\n", servers.Where(s => s.HasExited).Select(s => s.LogTail())));
            output.WriteLine($"[migration race] {database.Provider}: three server processes on an empty database, all listening {launched.ElapsedMilliseconds} ms after launch");

            foreach (var server in servers)
            {
                var ready = await server.CreateHttpClient().GetAsync("/health/ready");
                Assert.Equal(global::System.Net.HttpStatusCode.OK, ready.StatusCode);
            }
            await using var db = new DirectDatabase(database);
            await AssertFullyMigratedOnceAsync(db);
            // The key ring is created under the same kind of lock: one key, not one per replica.
            Assert.Equal(1, await db.CountAsync<Data.Keys.SigningKey>(q => q));
        }
        finally
        {
            await Task.WhenAll(servers.Select(s => s.DisposeAsync().AsTask()));
        }
    }

    /// <summary>The same race without process start-up costs, many times: the `migrate` command and start-up share this code.</summary>
    [Fact]
    public async Task Concurrent_migrators_apply_each_migration_exactly_once()
    {
        for (var round = 0; round < 4; round++)
        {
            await using var database = await TestDatabase.CreatePostgresAsync();
            var providers = Enumerable.Range(0, 4).Select(_ => DirectDatabase.Services(database)).ToList();
            try
            {
                await Task.WhenAll(providers.Select(p => Task.Run(() => DatabaseMigrator.MigrateAsync(p, CancellationToken.None))));
                await using var db = new DirectDatabase(database);
                await AssertFullyMigratedOnceAsync(db);
            }
            finally
            {
                foreach (var provider in providers)
                {
                    await provider.DisposeAsync();
                }
            }
        }
    }

    private static async Task AssertFullyMigratedOnceAsync(DirectDatabase db)
    {
        var (applied, known) = await db.WithDbAsync(async ctx =>
            ((await ctx.Database.GetAppliedMigrationsAsync()).ToList(), ctx.Database.GetMigrations().ToList()));
        Assert.Equal(known, applied);
        Assert.Empty(await db.WithDbAsync(ctx => ctx.Database.GetPendingMigrationsAsync()));
    }
}

/// <summary>
/// The same race on Citus: three server processes on an empty database of the run's cluster (the
/// extension on every node, the workers registered, nothing migrated) migrate it and distribute its
/// tables under one lock on the coordinator; all come up and every table is placed once.
/// </summary>
[Trait(CitusOnly.Trait, CitusOnly.Value)]
public sealed class CitusMigrationRaceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Three_server_processes_started_at_once_on_an_empty_Citus_database_all_come_up()
    {
        CitusOnly.Require();
        await using var database = await TestDatabase.CreateEmptyCitusAsync(Directory.CreateTempSubdirectory("tenantry-test-").FullName);
        await MigrationRaceTests.ThreeServersComeUpAsync(database, output);

        await using var connection = new NpgsqlConnection(database.PostgresConnectionString);
        await connection.OpenAsync();
        await using var placed = new NpgsqlCommand("SELECT count(*) FROM pg_dist_partition", connection);
        Assert.Equal(CitusDistribution.Plan.Count, Convert.ToInt32(await placed.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
    }
}
