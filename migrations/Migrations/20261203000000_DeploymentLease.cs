using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Batou.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class DeploymentLease : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "LeaseExpiresUtc",
                table: "deployments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LeaseOwner",
                table: "deployments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_deployments_one_running_per_environment",
                table: "deployments",
                columns: new[] { "RepositoryId", "Environment" },
                unique: true,
                filter: "\"Status\" = 'running'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_deployments_one_running_per_environment",
                table: "deployments");

            migrationBuilder.DropColumn(
                name: "LeaseExpiresUtc",
                table: "deployments");

            migrationBuilder.DropColumn(
                name: "LeaseOwner",
                table: "deployments");
        }
    }
}
