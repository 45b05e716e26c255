using Batou.Web.Data;
using Batou.Web.Infrastructure;

namespace Batou.Web.Governance.Identity;

public static class AuditEndpoints
{
    /// <summary><c>GET /admin/audit.csv?user=&amp;env=&amp;action=&amp;from=&amp;to=</c>: the filtered trail as CSV, streamed; administrators only.</summary>
    public static void MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/admin/audit.csv", async (HttpContext http, BatouDb db) =>
        {
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = "attachment; filename=\"batou-audit.csv\"";
            await AuditQuery.WriteCsvAsync(db, AuditFilter.FromQuery(http.Request.Query), http.Response.Body, http.RequestAborted);
            return Results.Empty;
        }).RequireAuthorization(AdminRequirement.Policy);
    }
}
