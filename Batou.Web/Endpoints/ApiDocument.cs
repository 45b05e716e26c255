using Batou.Web.Governance.Tokens;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Batou.Web.Endpoints;

/// <summary>
/// The OpenAPI description of the JSON API at <c>/openapi/v1.json</c>: only <c>/api/*</c>, with the bearer scheme of
/// personal API tokens on every operation. Readable without signing in: it describes shapes, holds no data, and
/// clients and code generators in CI fetch it before they have a token; every operation it lists still needs one.
/// </summary>
public static class ApiDocument
{
    public const string Name = "v1";
    private const string Bearer = "bearer";

    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(Name, o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer(Describe);
        });

    public static void MapApiDocument(this IEndpointRouteBuilder app) =>
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();

    private static Task Describe(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info = new OpenApiInfo
        {
            Title = "batou dashboard API",
            Version = Name,
            Description = "Request deployments, follow their status and events, cancel them. Authenticate with a personal API token "
                          + "(created at /account/tokens): Authorization: Bearer batou_<id>_<secret>. A token acts as its owner, "
                          + "within its scope (environments and actions) and never beyond the owner's current roles.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = ApiTokenFormat.Prefix + "<id>_<secret>",
            Description = "A personal API token; wrong, unknown, expired or revoked tokens get 401 \"invalid or expired token\".",
        };
        foreach (var path in document.Paths ?? new OpenApiPaths())
        {
            if (path.Value.Operations is not { } operations) continue;
            foreach (var operation in operations.Values)
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] });
            }
        }
        return Task.CompletedTask;
    }
}
