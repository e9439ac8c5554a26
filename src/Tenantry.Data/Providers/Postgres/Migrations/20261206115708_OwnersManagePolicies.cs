using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tenantry.Data.Providers.Postgres.Migrations
{
    /// <summary>The catalogue gained <c>policies.manage</c>: every existing Owner role gets it (owners hold every permission).</summary>
    public partial class OwnersManagePolicies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            OwnerPermissions.GrantOnPostgres(migrationBuilder, "policies.manage");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            OwnerPermissions.RevokeOnPostgres(migrationBuilder, "policies.manage");
        }
    }
}
