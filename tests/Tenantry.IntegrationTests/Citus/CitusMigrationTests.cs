using Microsoft.EntityFrameworkCore;
using Npgsql;
using Tenantry.Data.Providers;
using Tenantry.Data.Providers.Citus;
using Tenantry.IntegrationTests.Infrastructure;
using Tenantry.IntegrationTests.Replicas;

namespace Tenantry.IntegrationTests.Citus;

/// <summary>
/// Replicas that start together on an empty Citus database: the migrations and the Citus step run
/// under one lock on the coordinator, so every table is placed once, as the plan says, and keeps
/// every foreign key of the PostgreSQL schema.
/// </summary>
[Trait(CitusOnly.Trait, CitusOnly.Value)]
public sealed class CitusMigrationTests
{
    [Fact]
    public async Task Concurrent_migrators_place_every_table_once_and_keep_every_foreign_key()
    {
        CitusOnly.Require();
        await using var database = await TestDatabase.CreateEmptyCitusAsync(Directory.CreateTempSubdirectory("tenantry-test-").FullName);
        var migrators = Enumerable.Range(0, 4).Select(_ => DirectDatabase.Services(database)).ToList();
        try
        {
            await Task.WhenAll(migrators.Select(p => Task.Run(() => DatabaseMigrator.MigrateAsync(p, CancellationToken.None))));
        }
        finally
        {
            foreach (var provider in migrators)
            {
                await provider.DisposeAsync();
            }
        }

        await using var connection = new NpgsqlConnection(database.PostgresConnectionString);
        await connection.OpenAsync();
        var placed = await RowsAsync(connection,
            "SELECT logicalrelid::regclass::text, coalesce(column_to_column_name(logicalrelid, partkey), '') FROM pg_dist_partition");
        var expected = CitusDistribution.Plan.ToDictionary(p => p.Table, p => p.DistributionColumn ?? "");
        Assert.Equal(expected.OrderBy(p => p.Key), placed.ToDictionary(r => r[0], r => r[1]).OrderBy(p => p.Key));

        // The same foreign keys as the model's PostgreSQL migrations create (on the tables, not on the coordinator's copies of reference shards).
        var foreignKeys = (await RowsAsync(connection,
            "SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid IN (SELECT logicalrelid FROM pg_dist_partition)")).Select(r => r[0]).Order().ToList();
        await using var db = new DirectDatabase(database);
        var modelForeignKeys = await db.WithDbAsync(ctx => Task.FromResult(ctx.Model.GetEntityTypes()
            .SelectMany(e => e.GetForeignKeys()).Select(fk => fk.GetConstraintName()!).Distinct().Order().ToList()));
        Assert.Equal(modelForeignKeys, foreignKeys);
    }

    private static async Task<List<string[]>> RowsAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray());
        }
        return rows;
    }
}
