using Npgsql;
using Tenantry.Data;
using Tenantry.Data.Providers;

namespace Tenantry.UnitTests.Data;

/// <summary>What the PostgreSQL data source adds to the configured connection string, and what it leaves as configured.</summary>
public sealed class PostgresDataSourceTests
{
    private static NpgsqlConnectionStringBuilder Settings(string connectionString, DatabaseProvider provider = DatabaseProvider.Postgres)
    {
        using var dataSource = DatabaseServiceCollectionExtensions.PostgresDataSource(
            new DatabaseOptions { Provider = provider, PostgresConnectionString = connectionString });
        return new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Citus)]
    public void Statements_are_prepared_by_default_and_connecting_keeps_the_driver_s_timeout(DatabaseProvider provider)
    {
        var settings = Settings("Host=127.0.0.1;Database=tenantry", provider);
        Assert.Equal(new NpgsqlConnectionStringBuilder().Timeout, settings.Timeout);
        Assert.Equal(new DatabaseOptions().AutoPrepareStatements, settings.MaxAutoPrepare);
        Assert.True(settings.MaxAutoPrepare > 0);
    }

    [Theory]
    [InlineData("Max Auto Prepare=0", 0)]
    [InlineData("max auto prepare=7", 7)]
    [InlineData("MaxAutoPrepare=9", 9)]
    public void The_connection_string_decides_how_many_statements_are_prepared(string setting, int expected) =>
        Assert.Equal(expected, Settings($"Host=127.0.0.1;Database=tenantry;{setting}").MaxAutoPrepare);

    [Theory]
    [InlineData("Timeout=30", 30)]
    [InlineData("timeout=1", 1)]
    public void The_connection_string_decides_how_long_connecting_may_take(string setting, int expected) =>
        Assert.Equal(expected, Settings($"Host=127.0.0.1;Database=tenantry;{setting}").Timeout);
}
