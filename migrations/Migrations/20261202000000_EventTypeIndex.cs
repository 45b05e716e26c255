using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Batou.Web.Data.Migrations;

/// <summary>
/// The deployment page reads the few state events (roots, changed components, diffs) of a deployment that may have
/// 100,000 log lines: an index on the event type finds them without reading every line.
/// </summary>
[DbContext(typeof(BatouDb))]
[Migration("20261202000000_EventTypeIndex")]
public sealed class EventTypeIndex : Migration
{
    protected override void Up(MigrationBuilder m) => m.Sql("""
        CREATE INDEX "IX_deployment_events_DeploymentId_Type_Seq" ON "deployment_events" ("DeploymentId", "Type", "Seq")
        """);

    protected override void Down(MigrationBuilder m) => m.DropIndex("IX_deployment_events_DeploymentId_Type_Seq", "deployment_events");
}
