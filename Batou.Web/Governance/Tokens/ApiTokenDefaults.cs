using System.Security.Claims;
using Microsoft.AspNetCore.Identity;

namespace Batou.Web.Governance.Tokens;

/// <summary>
/// The authentication schemes: <see cref="Selector"/> is the default; it sends a request to <c>/api/*</c> that carries
/// <c>Authorization: Bearer …</c> to <see cref="Scheme"/> (the token, nothing else: its cookie is ignored) and every
/// other request to the Identity cookie.
/// </summary>
public static class ApiTokenDefaults
{
    public const string Scheme = "batou-token";
    public const string Selector = "batou-cookie-or-token";

    public const string TokenIdClaim = "batou:token";
    public const string TokenNameClaim = "batou:token-name";
    public const string TokenActionsClaim = "batou:token-actions";
    public const string TokenEnvironmentsClaim = "batou:token-environments";

    public static bool IsBearerRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") && request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    public static string BearerValue(HttpRequest request) => request.Headers.Authorization.ToString()["Bearer ".Length..].Trim();

    public static string SchemeFor(HttpContext context) => IsBearerRequest(context.Request) ? Scheme : IdentityConstants.ApplicationScheme;

    /// <summary>The scope of the token the request came with, or null for a person signed in with the cookie.</summary>
    public static TokenScope? ScopeOf(ClaimsPrincipal? user) =>
        user?.FindFirst(TokenIdClaim) is null ? null
            : TokenScope.FromStored(user.FindFirst(TokenActionsClaim)?.Value ?? "", user.FindFirst(TokenEnvironmentsClaim)?.Value ?? "");

    /// <summary>"via token ci-deploy (0123456789abcdef)" for the audit trail, or null without a token.</summary>
    public static string? Via(ClaimsPrincipal? user) =>
        user?.FindFirst(TokenIdClaim) is { } id ? $"via token {user.FindFirst(TokenNameClaim)?.Value} ({id.Value})" : null;
}
