using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Tenantry.Data.Providers.Postgres;

/// <summary>The model on PostgreSQL: JSON as jsonb, lists as text[]. Owns Providers/Postgres/Migrations.</summary>
public sealed class PostgresTenantryDbContext(DbContextOptions<PostgresTenantryDbContext> options) : TenantryDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        JsonColumns.MapTo(modelBuilder, "jsonb");
    }
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresTenantryDbContext>
{
    public PostgresTenantryDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresTenantryDbContext>()
            .UseNpgsql("Host=localhost;Database=tenantry_design_time")
            .UseSnakeCaseNamingConvention()
            .Options);
}
