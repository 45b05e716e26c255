using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Batou.Web.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Approvals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "approvals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DeploymentId = table.Column<long>(type: "bigint", nullable: false),
                    User = table.Column<string>(type: "text", nullable: false),
                    Approved = table.Column<bool>(type: "boolean", nullable: false),
                    Comment = table.Column<string>(type: "text", nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_approvals", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "deployment_requests",
                columns: table => new
                {
                    DeploymentId = table.Column<long>(type: "bigint", nullable: false),
                    Fingerprint = table.Column<string>(type: "text", nullable: false),
                    RequiredApprovals = table.Column<int>(type: "integer", nullable: false),
                    ForbidSelfApproval = table.Column<bool>(type: "boolean", nullable: false),
                    ExpiresUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Kind = table.Column<string>(type: "text", nullable: false),
                    SourceDeploymentId = table.Column<long>(type: "bigint", nullable: true),
                    OverrideBy = table.Column<string>(type: "text", nullable: true),
                    OverrideReason = table.Column<string>(type: "text", nullable: true),
                    Outcome = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_deployment_requests", x => x.DeploymentId);
                });

            migrationBuilder.CreateTable(
                name: "environment_policies",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RepositoryId = table.Column<int>(type: "integer", nullable: false),
                    Environment = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RequiredApprovals = table.Column<int>(type: "integer", nullable: false),
                    Approvers = table.Column<string>(type: "text", nullable: false),
                    ForbidSelfApproval = table.Column<bool>(type: "boolean", nullable: false),
                    ExpiryHours = table.Column<int>(type: "integer", nullable: false),
                    PromoteFrom = table.Column<string>(type: "text", nullable: true),
                    TimeZone = table.Column<string>(type: "text", nullable: false),
                    Windows = table.Column<string>(type: "text", nullable: false),
                    Freezes = table.Column<string>(type: "text", nullable: false),
                    UpdatedBy = table.Column<string>(type: "text", nullable: true),
                    UpdatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_environment_policies", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_approvals_DeploymentId_User",
                table: "approvals",
                columns: new[] { "DeploymentId", "User" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_deployment_requests_ExpiresUtc",
                table: "deployment_requests",
                column: "ExpiresUtc");

            migrationBuilder.CreateIndex(
                name: "IX_environment_policies_RepositoryId_Environment",
                table: "environment_policies",
                columns: new[] { "RepositoryId", "Environment" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "approvals");

            migrationBuilder.DropTable(
                name: "deployment_requests");

            migrationBuilder.DropTable(
                name: "environment_policies");
        }
    }
}
