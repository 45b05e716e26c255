using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Batou.Web.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class AuditUserEnvironment : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_User_Environment_AtUtc_Id",
                table: "audit_entries",
                columns: new[] { "User", "Environment", "AtUtc", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_audit_entries_User_Environment_AtUtc_Id",
                table: "audit_entries");
        }
    }
}
