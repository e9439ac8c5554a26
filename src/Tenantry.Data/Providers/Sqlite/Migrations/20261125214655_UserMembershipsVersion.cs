using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tenantry.Data.Providers.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class UserMembershipsVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "memberships_version",
                table: "users",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "memberships_version",
                table: "users");
        }
    }
}
