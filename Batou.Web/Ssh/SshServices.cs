using Microsoft.Extensions.Options;

namespace Batou.Web.Ssh;

/// <summary>Registers the dashboard's ssh side: options, the key in memory, pinned host keys, deployments' <c>SshOptions</c>.</summary>
public static class SshServices
{
    public static void AddDashboardSsh(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DashboardSshOptions>().Bind(builder.Configuration.GetSection(DashboardSshOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DashboardSshOptions>, ValidateDashboardSshOptions>();
        services.AddSingleton<VaultClientFactory>(Batou.Engine.Api.KeyVaultClient.Create);
        services.AddSingleton<DashboardSshKey>();
        services.AddScoped<HostKeyStore>();
        services.AddScoped<DeploymentSsh>();
        services.AddHostedService<SshKeyLoader>();
    }
}

/// <summary>Reads the key at start, so a missing or unreadable file stops the dashboard with the setting's name, not the first deployment.</summary>
internal sealed class SshKeyLoader(DashboardSshKey key, ILogger<SshKeyLoader> log) : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        log.LogInformation("ssh for deployments: {Key}", key);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
