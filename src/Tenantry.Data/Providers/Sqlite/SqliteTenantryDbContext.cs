using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Tenantry.Data.Providers.Sqlite;

/// <summary>The model on SQLite: JSON as TEXT, timestamps read back as UTC. Owns Providers/Sqlite/Migrations.</summary>
public sealed class SqliteTenantryDbContext(DbContextOptions<SqliteTenantryDbContext> options) : TenantryDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        JsonColumns.MapTo(modelBuilder, "TEXT");
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // SQLite has no time zone in its TEXT timestamps; everything Tenantry stores is UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

/// <summary>Lets <c>dotnet ef migrations add --context SqliteTenantryDbContext</c> build the model without the server.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteTenantryDbContext>
{
    public SqliteTenantryDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteTenantryDbContext>()
            .UseSqlite("Data Source=design-time.db")
            .UseSnakeCaseNamingConvention()
            .Options);
}
