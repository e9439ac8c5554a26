using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tenantry.Data.Providers.Sqlite.Migrations
{
    /// <summary>
    /// The list stamp (<see cref="Changes.ListStamps"/>): one row the triggers of every table a
    /// membership list is read from move on each change, plain SQL included. One row suffices:
    /// SQLite has one writer at a time.
    /// </summary>
    public partial class ListStamps : Migration
    {
        // As they were when this migration was written; a table added to the lists later gets its triggers in its own migration.
        private static readonly string[] s_tables =
        [
            "workspace_memberships", "workspaces", "workspace_roles", "institutions", "organization_memberships",
            "segments", "workspace_segments", "institution_segments",
        ];

        private static readonly string[] s_events = ["insert", "update", "delete"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE TABLE list_stamps (slot INTEGER NOT NULL PRIMARY KEY, value INTEGER NOT NULL)");
            // From the time in microseconds: a stamp made again (migrated down and up) starts above any count served before.
            migrationBuilder.Sql("INSERT INTO list_stamps (slot, value) VALUES (0, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))");
            foreach (var table in s_tables)
            {
                foreach (var change in s_events)
                {
                    migrationBuilder.Sql($"""
                        CREATE TRIGGER {table}_{change}_list_stamp AFTER {change.ToUpperInvariant()} ON {table}
                        BEGIN UPDATE list_stamps SET value = value + 1; END
                        """);
                }
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in s_tables)
            {
                foreach (var change in s_events)
                {
                    migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {table}_{change}_list_stamp");
                }
            }
            migrationBuilder.Sql("DROP TABLE IF EXISTS list_stamps");
        }
    }
}
