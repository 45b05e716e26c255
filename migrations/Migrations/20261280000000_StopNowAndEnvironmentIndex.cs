using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Batou.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class StopNowAndEnvironmentIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "StopNowUtc",
                table: "deployments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_deployments_Environment_Id",
                table: "deployments",
                columns: new[] { "Environment", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_deployments_Environment_Id",
                table: "deployments");

            migrationBuilder.DropColumn(
                name: "StopNowUtc",
                table: "deployments");
        }
    }
}
