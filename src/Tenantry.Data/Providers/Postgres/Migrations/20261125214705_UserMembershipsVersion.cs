using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tenantry.Data.Providers.Postgres.Migrations
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
                type: "bigint",
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
