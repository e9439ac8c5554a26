using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tenantry.Data.Providers.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class OrganizationMembershipUserIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameIndex(
                name: "ix_organization_memberships_user",
                table: "organization_memberships",
                newName: "ux_organization_memberships_one_active");

            migrationBuilder.CreateIndex(
                name: "ix_organization_memberships_user",
                table: "organization_memberships",
                column: "user_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_organization_memberships_user",
                table: "organization_memberships");

            migrationBuilder.RenameIndex(
                name: "ux_organization_memberships_one_active",
                table: "organization_memberships",
                newName: "ix_organization_memberships_user");
        }
    }
}
