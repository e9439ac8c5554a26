using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Tenantry.Domain.Memberships;

namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>The migrations that give every stored Owner role a permission added to the catalogue (OwnerPermissions).</summary>
public static class OwnerGrantMigrations
{
    /// <summary>
    /// Migrates the database to just before the migration named <paramref name="migration"/>, where the
    /// Owner role lacks <paramref name="permission"/>, and back to the latest, where it holds the whole
    /// catalogue again; the Member role keeps its defaults throughout.
    /// </summary>
    public static Task AssertGrantsOwnersAsync(IServiceProvider services, string migration, string permission, string ownerRoleId, string memberRoleId) =>
        services.WithDbAsync(async db =>
        {
            var migrator = db.GetService<IMigrator>();
            var migrations = db.Database.GetMigrations().ToList();
            var grant = migrations.Single(m => m.EndsWith("_" + migration, StringComparison.Ordinal));

            await migrator.MigrateAsync(migrations[migrations.IndexOf(grant) - 1]);
            Assert.DoesNotContain(permission, await PermissionsAsync(db, ownerRoleId));

            await migrator.MigrateAsync(migrations[^1]);
            Assert.Equal(Permissions.All, await PermissionsAsync(db, ownerRoleId));
            Assert.Equal(Permissions.MemberDefaults, await PermissionsAsync(db, memberRoleId));
        });

    private static async Task<List<string>> PermissionsAsync(Data.TenantryDbContext db, string roleId) =>
        await db.WorkspaceRoles.AsNoTracking().Where(r => r.Id == roleId).Select(r => r.Permissions).SingleAsync();
}
