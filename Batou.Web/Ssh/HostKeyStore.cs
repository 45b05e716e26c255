using System.Security.Claims;
using Batou.Engine.Api;
using Batou.Web.Data;
using Batou.Web.Governance;
using Batou.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Ssh;

/// <summary>The outcome of an admin's decision on a host key: done, or why not.</summary>
public sealed record HostKeyDecision(bool Done, string Message);

/// <summary>
/// Host keys pinned in the database. Deployments report keys the builtin client refused (<see cref="HostKeyUnknown"/>,
/// <see cref="HostKeyChanged"/>); they wait as pending until an admin approves or rejects them. Approved keys go to
/// every later deployment as known_hosts lines. A changed key is never approved in passing: approving it is an explicit
/// replacement of the approved key(s) of that address. Every decision is audited with before and after.
/// </summary>
public sealed class HostKeyStore(IDbContextFactory<BatouDb> dbs, IAuthorizationService authorization, IAccessPolicy access, IAuditTrail audit, ILogger<HostKeyStore> log)
{
    /// <summary>Approved keys in known_hosts form (<c>[address]:port type base64</c>), one a line; null when none.</summary>
    public async Task<string?> KnownHostsAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var keys = await db.HostKeys.AsNoTracking().Where(k => k.Status == HostKeyStatus.Approved).OrderBy(k => k.Id).ToListAsync(ct);
        return keys.Count == 0 ? null : string.Join("", keys.Select(k => $"{LookupName(k.Address, k.Port)} {k.PublicKey}\n"));
    }

    /// <summary>The name ssh looks a host up by: the address on port 22, else <c>[address]:port</c>.</summary>
    public static string LookupName(string address, int port) => port == 22 ? address : $"[{address}]:{port}";

    public async Task<List<HostKeyEntity>> AllAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var all = await db.HostKeys.AsNoTracking().ToListAsync(ct);
        return all.OrderBy(k => Rank(k.Status)).ThenBy(k => k.Address, StringComparer.Ordinal).ThenBy(k => k.Port).ThenByDescending(k => k.Id).ToList();
    }

    private static int Rank(string status) => status switch
    {
        HostKeyStatus.Pending => 0,
        HostKeyStatus.Approved => 1,
        HostKeyStatus.Rejected => 2,
        _ => 3,
    };

    /// <summary>Keeps the keys a deployment met (new ones as pending; known ones only get a new last-seen time).</summary>
    public async Task RecordAsync(IReadOnlyList<DeploymentEvent> facts, string repository, string environment, long deploymentId, CancellationToken ct = default)
    {
        if (facts.Count == 0) return;
        await using var db = await dbs.CreateDbContextAsync(ct);
        foreach (var fact in facts)
        {
            var (host, address, port, keyType, fingerprint, publicKey, replaces) = fact switch
            {
                HostKeyUnknown u => (u.Host, u.Address, u.Port, u.KeyType, u.Fingerprint, u.PublicKey, (string?)null),
                HostKeyChanged c => (c.Host, c.Address, c.Port, c.KeyType, c.Fingerprint, c.PublicKey, c.KnownFingerprint),
                _ => throw new ArgumentException("not a host key event", nameof(facts)),
            };
            var now = DateTime.UtcNow;
            var known = await db.HostKeys.FirstOrDefaultAsync(k => k.Address == address && k.Port == port && k.Fingerprint == fingerprint, ct);
            if (known is not null)
            {
                known.LastSeenUtc = now;
                continue;
            }
            db.HostKeys.Add(new HostKeyEntity
            {
                Address = address, Port = port, KeyType = keyType, Fingerprint = fingerprint, PublicKey = publicKey, Status = HostKeyStatus.Pending,
                ReplacesFingerprint = replaces, Host = host, Repository = repository, Environment = environment, DeploymentId = deploymentId,
                FirstSeenUtc = now, LastSeenUtc = now,
            });
            log.LogWarning("Deployment {Id}: host {Host} ({Address}:{Port}) offered {Kind} host key {KeyType} {Fingerprint}; it waits for an admin on /admin/host-keys",
                deploymentId, host, address, port, replaces is null ? "an unknown" : "a changed", keyType, fingerprint);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear();   // another deployment recorded the same key meanwhile
            }
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Whether the user may decide on the key: an administrator (the admin claim or <c>Batou:Admins</c>), or who may
    /// administer the environment that met it.
    /// </summary>
    public async Task<bool> CanDecideAsync(ClaimsPrincipal user, HostKeyEntity key, CancellationToken ct = default)
    {
        if (user.Identity?.IsAuthenticated != true) return false;
        if ((await authorization.AuthorizeAsync(user, AdminRequirement.Policy)).Succeeded) return true;
        return key.Repository is { } r && key.Environment is { } e && await access.CanAsync(user, r, e, GovernedAction.Administer, ct);
    }

    /// <summary>Approves a pending (or rejected) key that replaces nothing.</summary>
    public Task<HostKeyDecision> ApproveAsync(long id, ClaimsPrincipal user, CancellationToken ct = default) =>
        DecideAsync(id, user, "host-key.approved", HostKeyStatus.Approved, replace: false, ct);

    public Task<HostKeyDecision> RejectAsync(long id, ClaimsPrincipal user, CancellationToken ct = default) =>
        DecideAsync(id, user, "host-key.rejected", HostKeyStatus.Rejected, replace: false, ct);

    /// <summary>Approves a changed key in place of the approved key(s) of its address, which become replaced.</summary>
    public Task<HostKeyDecision> ReplaceAsync(long id, ClaimsPrincipal user, CancellationToken ct = default) =>
        DecideAsync(id, user, "host-key.replaced", HostKeyStatus.Approved, replace: true, ct);

    private async Task<HostKeyDecision> DecideAsync(long id, ClaimsPrincipal user, string action, string status, bool replace, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var key = await db.HostKeys.FirstOrDefaultAsync(k => k.Id == id, ct);
        if (key is null) return new(false, "This host key no longer exists.");
        if (!await CanDecideAsync(user, key, ct)) return new(false, "Only an administrator may approve or reject host keys.");
        if (key.Status is HostKeyStatus.Approved or HostKeyStatus.Replaced) return new(false, $"This key is already {key.Status}.");
        var others = await db.HostKeys.Where(k => k.Address == key.Address && k.Port == key.Port && k.Id != key.Id && k.Status == HostKeyStatus.Approved).ToListAsync(ct);
        if (status == HostKeyStatus.Approved && others.Count > 0 && !replace)
            return new(false, $"{LookupName(key.Address, key.Port)} already has an approved key ({string.Join(", ", others.Select(o => o.Fingerprint))}): a changed key must be replaced explicitly.");
        var before = replace && others.Count > 0 ? "approved " + string.Join(", ", others.Select(o => o.Fingerprint)) : $"{key.Status} {key.Fingerprint}";
        var now = DateTime.UtcNow;
        var name = user.Identity!.Name;
        if (replace)
            foreach (var old in others)
                (old.Status, old.DecidedBy, old.DecidedUtc) = (HostKeyStatus.Replaced, name, now);
        (key.Status, key.DecidedBy, key.DecidedUtc) = (status, name, now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await audit.RecordAsync(new AuditRecord(action, name, Repository: key.Repository, Environment: key.Environment,
            Target: $"host key of {key.Host} at {LookupName(key.Address, key.Port)} ({key.KeyType})", Before: before, After: $"{status} {key.Fingerprint}"), ct);
        return new(true, $"{key.Fingerprint} for {LookupName(key.Address, key.Port)} is {(replace ? "approved in place of " + string.Join(", ", others.Select(o => o.Fingerprint)) : status)}.");
    }
}
