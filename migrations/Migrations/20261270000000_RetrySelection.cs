using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Batou.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class RetrySelection : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "RemovedBy",
                table: "repositories",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "RemovedUtc",
                table: "repositories",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Roots",
                table: "deployment_requests",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RemovedBy",
                table: "repositories");

            migrationBuilder.DropColumn(
                name: "RemovedUtc",
                table: "repositories");

            migrationBuilder.DropColumn(
                name: "Roots",
                table: "deployment_requests");
        }
    }
}
