using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Batou.Web.Data.Migrations;

/// <summary>
/// The first schema: Identity's tables, repositories, deployments, their events and root results.
/// Written by hand as SQL (dotnet-ef cannot run here); <c>SchemaMatchesModelTests</c> proves it equals the model.
/// </summary>
[DbContext(typeof(BatouDb))]
[Migration("20261201000000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.Sql("""
            CREATE TABLE "AspNetRoles" (
                "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetRoles" PRIMARY KEY,
                "Name" TEXT NULL,
                "NormalizedName" TEXT NULL,
                "ConcurrencyStamp" TEXT NULL
            )
            """);
        m.Sql("""
            CREATE TABLE "AspNetUsers" (
                "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetUsers" PRIMARY KEY,
                "UserName" TEXT NULL,
                "NormalizedUserName" TEXT NULL,
                "Email" TEXT NULL,
                "NormalizedEmail" TEXT NULL,
                "EmailConfirmed" INTEGER NOT NULL,
                "PasswordHash" TEXT NULL,
                "SecurityStamp" TEXT NULL,
                "ConcurrencyStamp" TEXT NULL,
                "PhoneNumber" TEXT NULL,
                "PhoneNumberConfirmed" INTEGER NOT NULL,
                "TwoFactorEnabled" INTEGER NOT NULL,
                "LockoutEnd" TEXT NULL,
                "LockoutEnabled" INTEGER NOT NULL,
                "AccessFailedCount" INTEGER NOT NULL
            )
            """);
        m.Sql("""
            CREATE TABLE "deployment_events" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_deployment_events" PRIMARY KEY AUTOINCREMENT,
                "DeploymentId" INTEGER NOT NULL,
                "Seq" INTEGER NOT NULL,
                "Type" TEXT NOT NULL,
                "Json" TEXT NOT NULL
            )
            """);
        m.Sql("""
            CREATE TABLE "deployment_roots" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_deployment_roots" PRIMARY KEY AUTOINCREMENT,
                "DeploymentId" INTEGER NOT NULL,
                "Host" TEXT NOT NULL,
                "Component" TEXT NOT NULL,
                "Status" TEXT NOT NULL,
                "DurationMs" INTEGER NOT NULL
            )
            """);
        m.Sql("""
            CREATE TABLE "deployments" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_deployments" PRIMARY KEY AUTOINCREMENT,
                "RepositoryId" INTEGER NOT NULL,
                "Environment" TEXT NOT NULL,
                "Commit" TEXT NOT NULL,
                "Branch" TEXT NULL,
                "CommitMessage" TEXT NOT NULL,
                "Mode" TEXT NOT NULL,
                "Jobs" INTEGER NULL,
                "Status" TEXT NOT NULL,
                "RequestedBy" TEXT NOT NULL,
                "RequestedUtc" TEXT NOT NULL,
                "StartedUtc" TEXT NULL,
                "FinishedUtc" TEXT NULL,
                "EventCount" INTEGER NOT NULL,
                "ErrorCount" INTEGER NOT NULL,
                "ChangedCount" INTEGER NOT NULL,
                "CancelledBy" TEXT NULL
            )
            """);
        m.Sql("""
            CREATE TABLE "repositories" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_repositories" PRIMARY KEY AUTOINCREMENT,
                "Name" TEXT NOT NULL,
                "Url" TEXT NOT NULL,
                "Subdirectory" TEXT NOT NULL,
                "CreatedUtc" TEXT NOT NULL,
                "LastFetchUtc" TEXT NULL,
                "LastError" TEXT NULL
            )
            """);
        m.Sql("""
            CREATE TABLE "AspNetRoleClaims" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetRoleClaims" PRIMARY KEY AUTOINCREMENT,
                "RoleId" TEXT NOT NULL,
                "ClaimType" TEXT NULL,
                "ClaimValue" TEXT NULL,
                CONSTRAINT "FK_AspNetRoleClaims_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE
            )
            """);
        m.Sql("""
            CREATE TABLE "AspNetUserClaims" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetUserClaims" PRIMARY KEY AUTOINCREMENT,
                "UserId" TEXT NOT NULL,
                "ClaimType" TEXT NULL,
                "ClaimValue" TEXT NULL,
                CONSTRAINT "FK_AspNetUserClaims_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
            )
            """);
        m.Sql("""
            CREATE TABLE "AspNetUserLogins" (
                "LoginProvider" TEXT NOT NULL,
                "ProviderKey" TEXT NOT NULL,
                "ProviderDisplayName" TEXT NULL,
                "UserId" TEXT NOT NULL,
                CONSTRAINT "PK_AspNetUserLogins" PRIMARY KEY ("LoginProvider", "ProviderKey"),
                CONSTRAINT "FK_AspNetUserLogins_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
            )
            """);
        m.Sql("""
            CREATE TABLE "AspNetUserRoles" (
                "UserId" TEXT NOT NULL,
                "RoleId" TEXT NOT NULL,
                CONSTRAINT "PK_AspNetUserRoles" PRIMARY KEY ("UserId", "RoleId"),
                CONSTRAINT "FK_AspNetUserRoles_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE,
                CONSTRAINT "FK_AspNetUserRoles_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
            )
            """);
        m.Sql("""
            CREATE TABLE "AspNetUserTokens" (
                "UserId" TEXT NOT NULL,
                "LoginProvider" TEXT NOT NULL,
                "Name" TEXT NOT NULL,
                "Value" TEXT NULL,
                CONSTRAINT "PK_AspNetUserTokens" PRIMARY KEY ("UserId", "LoginProvider", "Name"),
                CONSTRAINT "FK_AspNetUserTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
            )
            """);
        m.Sql("""
            CREATE INDEX "IX_AspNetRoleClaims_RoleId" ON "AspNetRoleClaims" ("RoleId")
            """);
        m.Sql("""
            CREATE UNIQUE INDEX "RoleNameIndex" ON "AspNetRoles" ("NormalizedName")
            """);
        m.Sql("""
            CREATE INDEX "IX_AspNetUserClaims_UserId" ON "AspNetUserClaims" ("UserId")
            """);
        m.Sql("""
            CREATE INDEX "IX_AspNetUserLogins_UserId" ON "AspNetUserLogins" ("UserId")
            """);
        m.Sql("""
            CREATE INDEX "IX_AspNetUserRoles_RoleId" ON "AspNetUserRoles" ("RoleId")
            """);
        m.Sql("""
            CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail")
            """);
        m.Sql("""
            CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName")
            """);
        m.Sql("""
            CREATE UNIQUE INDEX "IX_deployment_events_DeploymentId_Seq" ON "deployment_events" ("DeploymentId", "Seq")
            """);
        m.Sql("""
            CREATE INDEX "IX_deployment_roots_DeploymentId" ON "deployment_roots" ("DeploymentId")
            """);
        m.Sql("""
            CREATE INDEX "IX_deployments_Commit_Id" ON "deployments" ("Commit", "Id")
            """);
        m.Sql("""
            CREATE INDEX "IX_deployments_RepositoryId_Environment_Id" ON "deployments" ("RepositoryId", "Environment", "Id")
            """);
        m.Sql("""
            CREATE INDEX "IX_deployments_RequestedBy_Id" ON "deployments" ("RequestedBy", "Id")
            """);
        m.Sql("""
            CREATE INDEX "IX_deployments_Status_Id" ON "deployments" ("Status", "Id")
            """);
        m.Sql("""
            CREATE UNIQUE INDEX "IX_repositories_Name" ON "repositories" ("Name")
            """);
    }

    protected override void Down(MigrationBuilder m)
    {
        foreach (var table in (string[])["deployment_roots", "deployment_events", "deployments", "repositories", "AspNetUserTokens", "AspNetUserRoles",
                     "AspNetUserLogins", "AspNetUserClaims", "AspNetRoleClaims", "AspNetUsers", "AspNetRoles"])
            m.DropTable(table);
    }
}
