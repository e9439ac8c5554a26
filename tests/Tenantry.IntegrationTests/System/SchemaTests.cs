using Microsoft.EntityFrameworkCore;
using Tenantry.Data;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.System;

/// <summary>The migrated database has the indexes the model promises, under the names the code refers to.</summary>
public sealed class SchemaTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private Task<List<string>> IndexNamesAsync() => app.WithDbAsync(db => (TestDatabase.IsPostgres
            ? db.Database.SqlQueryRaw<string>("SELECT indexname AS \"Value\" FROM pg_indexes WHERE schemaname = current_schema()")
            : db.Database.SqlQueryRaw<string>("SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'index'"))
        .ToListAsync());

    // SQLite names a primary key's index after the table ("sqlite_autoindex_..."); its violations are matched by columns instead.
    public static IEnumerable<object[]> InvariantKeys() =>
        typeof(UniqueKeys).GetFields().Select(f => ((UniqueKey)f.GetValue(null)!).IndexName)
            .Where(name => TestDatabase.IsPostgres || !name.StartsWith("pk_", StringComparison.Ordinal))
            .Select(name => new object[] { name });

    [Theory]
    [MemberData(nameof(InvariantKeys))]
    public async Task Every_unique_key_behind_an_invariant_exists_under_its_name(string indexName) =>
        Assert.Contains(indexName, await IndexNamesAsync());

    [Fact]
    public async Task Organization_memberships_are_found_by_user_through_an_index_of_their_own()
    {
        // Beside the partial unique index of the active organization, which only covers active rows.
        var names = await IndexNamesAsync();
        Assert.Contains("ix_organization_memberships_user", names);
        Assert.Contains(UniqueKeys.ActiveInstitution.IndexName, names);
    }
}
