using Microsoft.Extensions.DependencyInjection;
using Tenantry.Data;

namespace Tenantry.Application.Common.Caching;

public static class ScopedDatabase
{
    /// <summary>Runs <paramref name="work"/> on a context of its own scope: for work that outlives the request (background refreshes).</summary>
    public static async Task<T> WithDbAsync<T>(this IServiceScopeFactory scopes, Func<TenantryDbContext, Task<T>> work)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TenantryDbContext>());
    }
}
