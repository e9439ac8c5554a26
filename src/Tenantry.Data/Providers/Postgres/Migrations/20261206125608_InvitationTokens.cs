using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tenantry.Data.Providers.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class InvitationTokens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The hash of the secret token in an invitation's latest email. Invitations made before this
            // migration have none (their emails carried none): a verified address equal to the invited one
            // can still accept them, and a resend gives them a token.
            migrationBuilder.AddColumn<string>(
                name: "token_hash",
                table: "invitations",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "token_hash",
                table: "invitations");
        }
    }
}
