using System.Diagnostics;
using System.Security.Cryptography;
using Batou.Engine.Remote;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Remote;

/// <summary>
/// Two controllers deploying to one account at the same moment both install the agent (a dashboard and a CLI run, or
/// two dashboards). Found in a full test run: the web suite's and the engine suite's first deployments to host1 met,
/// one upload's shared temporary file was renamed away under the other ("chmod: cannot access …batou.tmp"), and the
/// other controller lost its agent.
/// </summary>
public sealed class AgentInstallRaceTests
{
    [Fact]
    public async Task Four_uploads_at_once_all_succeed_and_leave_one_complete_executable_and_no_temporary_file()
    {
        var dir = $".batou/agent/race-{Guid.NewGuid():N}";
        var agentPath = dir + "/batou";
        var payload = RandomNumberGenerator.GetBytes(24 * 1024 * 1024);
        try
        {
            var uploads = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Ssh(RemoteConnector.InstallCommand(agentPath), payload))));

            Assert.All(uploads, u => Assert.True(u.ExitCode == 0, $"exit {u.ExitCode}: {u.Stderr}"));
            var listing = await Task.Run(() => Ssh($"cd && ls -A {dir} && sha256sum {agentPath} && test -x {agentPath} && echo executable", []));
            Assert.Equal(0, listing.ExitCode);
            var lines = listing.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(["batou", $"{Convert.ToHexStringLower(SHA256.HashData(payload))}  {agentPath}", "executable"], lines);
        }
        finally
        {
            Ssh($"cd && rm -rf {dir}", []);
        }
    }

    [Fact]
    public void A_failed_upload_leaves_no_temporary_file()
    {
        var dir = $".batou/agent/race-{Guid.NewGuid():N}";
        try
        {
            // the target path is a directory nobody may write into, so the final rename fails after the temporary file was written
            Assert.Equal(0, Ssh($"cd && mkdir -p {dir}/batou && chmod 555 {dir}/batou", []).ExitCode);
            var upload = Ssh(RemoteConnector.InstallCommand(dir + "/batou"), [1, 2, 3]);
            var listing = Ssh($"cd && ls -A {dir}", []);

            Assert.NotEqual(0, upload.ExitCode);
            Assert.Equal("batou", listing.Stdout.Trim());
        }
        finally
        {
            Ssh($"cd && chmod -R u+w {dir} && rm -rf {dir}", []);
        }
    }

    private static (int ExitCode, string Stdout, string Stderr) Ssh(string command, byte[] input)
    {
        var info = new ProcessStartInfo("ssh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-F", SshHosts.SshConfig, "host2", command }) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.BaseStream.Write(input);
        process.StandardInput.Close();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "ssh did not end within 2 minutes");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
