using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Tenantry.Data;
using Tenantry.Data.Security;
using Tenantry.Server.Configuration;

namespace Tenantry.Server.Security;

/// <summary>
/// ASP.NET Core Data Protection with its key ring in the database (table
/// <c>data_protection_keys</c>), so that every replica can read what another encrypted.
/// </summary>
public static class DataProtectionSetup
{
    /// <summary>Fixed, so that replicas installed in different folders share one key ring.</summary>
    public const string ApplicationName = TenantryDataProtection.ApplicationName;

    public static void AddTenantryDataProtection(this IServiceCollection services, DataProtectionSettings settings) =>
        TenantryDataProtection.AddTenantryDataProtection(services, settings.CertificatePath, settings.CertificatePassword);

    /// <summary>
    /// Makes sure the key ring has an active key before the first request. Replicas that start
    /// together on PostgreSQL take turns (an advisory lock), so they agree on one first key
    /// instead of each creating its own.
    /// </summary>
    public static async Task EnsureKeyAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TenantryDbContext>();
        var keys = services.GetRequiredService<IKeyManager>();
        var clock = services.GetRequiredService<TimeProvider>();
        var postgres = db.Provider == DatabaseProvider.Postgres;

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (postgres)
            {
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(hashtext('tenantry.data-protection'))", cancellationToken);
            }
            var now = clock.GetUtcNow();
            if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now))
            {
                keys.CreateNewKey(now, now.AddDays(90));
            }
        }
        finally
        {
            if (postgres)
            {
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(hashtext('tenantry.data-protection'))", CancellationToken.None);
            }
            await db.Database.CloseConnectionAsync();
        }
    }
}
