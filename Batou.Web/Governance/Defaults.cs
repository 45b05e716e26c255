using System.Security.Claims;
using Batou.Web.Infrastructure;

namespace Batou.Web.Governance;

/// <summary>Today's behaviour until roles exist: every signed-in user may do everything but administer; admins everything.</summary>
internal sealed class OpenAccess : IAccessPolicy
{
    public Task<bool> CanAsync(ClaimsPrincipal user, string repository, string environment, GovernedAction action, CancellationToken ct = default) =>
        Task.FromResult(user.Identity?.IsAuthenticated == true
            && (action != GovernedAction.Administer || user.HasClaim(AdminRequirement.ClaimType, AdminRequirement.ClaimValue)));

    public Task<IReadOnlyList<string>> UsersWhoCanAsync(string repository, string environment, GovernedAction action, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<string>>([]);
}

/// <summary>Writes audit records to the log until the database trail exists.</summary>
internal sealed class LoggedAudit(ILogger<LoggedAudit> log) : IAuditTrail
{
    public Task RecordAsync(AuditRecord record, CancellationToken ct = default)
    {
        log.LogInformation("audit {Action} by {User} on {Repository}/{Environment} {Target}", record.Action, record.User, record.Repository, record.Environment, record.Target);
        return Task.CompletedTask;
    }
}

internal sealed class SilentNotifier : INotifier
{
    public Task NotifyAsync(Notification notification, CancellationToken ct = default) => Task.CompletedTask;
}
