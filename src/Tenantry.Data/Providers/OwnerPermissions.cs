using Microsoft.EntityFrameworkCore.Migrations;

namespace Tenantry.Data.Providers;

/// <summary>
/// Owners hold every permission of the catalogue, and each Owner role stores its list: a migration
/// that adds a permission to the catalogue grants it to every stored Owner role with these.
/// Appending keeps the list in catalogue order, since new permissions are appended to the catalogue.
/// </summary>
public static class OwnerPermissions
{
    /// <summary>PostgreSQL: <c>permissions</c> is a <c>text[]</c>.</summary>
    public static void GrantOnPostgres(MigrationBuilder migrationBuilder, string permission) =>
        migrationBuilder.Sql($"""
            UPDATE workspace_roles SET permissions = array_append(permissions, '{Literal(permission)}')
            WHERE built_in = 'Owner' AND NOT ('{Literal(permission)}' = ANY (permissions));
            """);

    public static void RevokeOnPostgres(MigrationBuilder migrationBuilder, string permission) =>
        migrationBuilder.Sql($"""
            UPDATE workspace_roles SET permissions = array_remove(permissions, '{Literal(permission)}') WHERE built_in = 'Owner';
            """);

    /// <summary>SQLite: <c>permissions</c> is a JSON array in text.</summary>
    public static void GrantOnSqlite(MigrationBuilder migrationBuilder, string permission) =>
        migrationBuilder.Sql($"""
            UPDATE workspace_roles SET permissions = json_insert(permissions, '$[#]', '{Literal(permission)}')
            WHERE built_in = 'Owner' AND NOT EXISTS (SELECT 1 FROM json_each(workspace_roles.permissions) WHERE value = '{Literal(permission)}');
            """);

    public static void RevokeOnSqlite(MigrationBuilder migrationBuilder, string permission) =>
        migrationBuilder.Sql($"""
            UPDATE workspace_roles SET permissions =
                (SELECT json_group_array(value) FROM json_each(workspace_roles.permissions) WHERE value <> '{Literal(permission)}')
            WHERE built_in = 'Owner';
            """);

    // Permissions are constants of the catalogue; refuse anything that would need quoting.
    private static string Literal(string permission) =>
        permission.All(c => char.IsAsciiLetterLower(c) || c == '.' || c == '_')
            ? permission
            : throw new ArgumentException($"'{permission}' is not a catalogue permission name.", nameof(permission));
}
