using System.Text.Encodings.Web;
using Batou.Web.Data;
using Batou.Web.Governance.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Batou.Web.Governance.Tokens;

/// <summary>
/// <c>Authorization: Bearer batou_…</c> on <c>/api/*</c>. A token that does not check out is a 401 with a problem body
/// that says only "invalid or expired token"; the attempt is audited (<c>token.rejected</c>: address, token id if it
/// parsed, the reason — never the secret) and counted per address (<see cref="TokenFailureLimiter"/>, then 429).
/// </summary>
internal sealed class ApiTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    BatouDb db, IAuditTrail audit, TokenFailureLimiter limiter)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string Invalid = "invalid or expired token";
    private bool _limited;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!ApiTokenDefaults.IsBearerRequest(Request)) return AuthenticateResult.NoResult();
        var address = Context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var now = DateTime.UtcNow;
        if (limiter.IsBlocked(address, now))
        {
            _limited = true;
            return AuthenticateResult.Fail("too many failed token attempts");
        }
        var result = await ApiTokenCheck.CheckAsync(db, ApiTokenDefaults.BearerValue(Request), now, Context.RequestAborted);
        if (result.Principal is { } principal) return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
        limiter.RecordFailure(address, now);
        await audit.RecordAsync(new AuditRecord(AuditActions.TokenRejected, result.Owner, address,
            Target: result.PublicId is null ? null : $"token {result.PublicId}", Detail: $"{Request.Method} {Request.Path}: {result.Reason}"), CancellationToken.None);
        return AuthenticateResult.Fail(Invalid);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var status = _limited ? StatusCodes.Status429TooManyRequests : StatusCodes.Status401Unauthorized;
        Response.StatusCode = status;
        if (_limited) Response.Headers.RetryAfter = ((int)TokenFailureLimiter.Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        else Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        await Response.WriteAsJsonAsync(new ProblemDetails
        {
            Status = status,
            Title = _limited ? "Too many requests" : "Unauthorized",
            Detail = _limited ? "too many failed token attempts from this address; try again in a minute" : Invalid,
        }, options: null, contentType: "application/problem+json");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Response.WriteAsJsonAsync(new ProblemDetails { Status = 403, Title = "Forbidden", Detail = "this token may not do that" },
            options: null, contentType: "application/problem+json");
    }
}
