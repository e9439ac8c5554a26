using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tenantry.Data;

namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>Direct database access through a service provider that has the Tenantry database registered (a server's, or the tests' own).</summary>
public static class DbAccess
{
    public static async Task<T> WithDbAsync<T>(this IServiceProvider services, Func<TenantryDbContext, Task<T>> work)
    {
        await using var scope = services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TenantryDbContext>());
    }

    public static Task WithDbAsync(this IServiceProvider services, Func<TenantryDbContext, Task> work) => services.WithDbAsync(async db =>
    {
        await work(db);
        return true;
    });

    public static Task<int> CountAsync<TEntity>(this IServiceProvider services, Func<IQueryable<TEntity>, IQueryable<TEntity>> filter) where TEntity : class =>
        services.WithDbAsync(db => filter(db.Set<TEntity>()).CountAsync());
}
