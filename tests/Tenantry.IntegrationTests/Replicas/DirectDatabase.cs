using Microsoft.Extensions.DependencyInjection;
using Tenantry.Data;
using Tenantry.Data.Providers;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Replicas;

/// <summary>
/// The database of server processes, opened from the test with the same model and provider
/// the servers use: to seed what the API cannot reach yet and to check what was stored.
/// </summary>
public sealed class DirectDatabase : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public DirectDatabase(TestDatabase database) => _services = Services(database);

    /// <summary>The database services a server process has (own connection pool included), without the server.</summary>
    public static ServiceProvider Services(TestDatabase database)
    {
        var options = new DatabaseOptions
        {
            Provider = Enum.Parse<DatabaseProvider>(database.Provider),
            PostgresConnectionString = database.PostgresConnectionString,
        };
        return new ServiceCollection().AddTenantryDatabase(options, database.DataDir!).BuildServiceProvider();
    }

    public Task<T> WithDbAsync<T>(Func<TenantryDbContext, Task<T>> work) => _services.WithDbAsync(work);

    public Task WithDbAsync(Func<TenantryDbContext, Task> work) => _services.WithDbAsync(work);

    public Task<int> CountAsync<TEntity>(Func<IQueryable<TEntity>, IQueryable<TEntity>> filter) where TEntity : class => _services.CountAsync(filter);

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
