using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tenantry.Data.Providers.Sqlite.Migrations
{
    /// <summary>The catalogue gained <c>policies.manage</c>: every existing Owner role gets it (owners hold every permission).</summary>
    public partial class OwnersManagePolicies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            OwnerPermissions.GrantOnSqlite(migrationBuilder, "policies.manage");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            OwnerPermissions.RevokeOnSqlite(migrationBuilder, "policies.manage");
        }
    }
}
