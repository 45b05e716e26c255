using Batou.Engine.Api;

namespace Batou.Engine.Tests.Secrets;

/// <summary>
/// A unique secret is planted, deployed (engine and CLI), predicted and made to fail on purpose;
/// then every event, every output, every file of the repository except the one written on purpose,
/// the editor's temp files and the process list seen meanwhile are searched for it.
/// </summary>
public sealed class CanaryTests : SecretsTestBase
{
    private const string Leaky = """
        public sealed class Leaky : Component
        {
            public string Token { get; set; } = "";
            public bool Fail { get; set; }
            protected override void Configure()
            {
                Log("configuring with " + Token);
                Add(new File("public.txt") { Content = "nothing secret here\n" });
            }
            protected override void Verify() => throw new UpdateNeeded("token " + Token + " not applied");
            protected override void Update()
            {
                Log("applying " + Token);
                if (Fail) throw new InvalidOperationException("could not apply token " + Token);
                Cmd("echo printed " + Token, expand: false);   // its output is an event: masked like the rest
            }
        }
        """;

    private readonly string _canary = "canary-" + Guid.NewGuid().ToString("N");
    private readonly List<string> _processes = [];

    [Fact]
    public void The_canary_appears_only_in_the_file_written_on_purpose()
    {
        Repo.Component("leaky", Leaky).LocalEnvironment("app, leaky", "[component:leaky]\nfail = false\n");
        WriteSecrets($"[component:app]\npassword = {_canary}\n\n[component:leaky]\ntoken = {_canary}\n");
        WriteSecretFile("cert.pem", $"-----BEGIN-----\n{_canary}\n-----END-----\n");
        var seen = new List<string>();

        using (WatchProcesses(_processes))
        {
            var engine = Repo.Deploy();
            Assert.True(engine.Success, engine.ToString());
            Assert.Contains(engine.Of<CommandOutput>(), o => o.Text == "printed ********");
            seen.Add(Json(engine));
            var (_, verboseOut, verboseErr) = SecretsCli.Run(Repo.Root, null, null, "deploy", "-v", "test");
            seen.Add(verboseOut + verboseErr);
            var predicted = Repo.Deploy(mode: DeploymentMode.Predict);
            seen.Add(Json(predicted));
            var (_, predictOut, predictErr) = SecretsCli.Run(Repo.Root, null, null, "deploy", "-P", "test");
            seen.Add(predictOut + predictErr);
            Assert.Contains("********", predictOut);

            Repo.LocalEnvironment("app, leaky", "[component:leaky]\nfail = true\n");
            var (code, failOut, failErr) = SecretsCli.Run(Repo.Root, null, null, "deploy", "test");
            Assert.Equal(1, code);
            Assert.Contains("could not apply token ********", failOut);
            seen.Add(failOut + failErr);
            var failed = Repo.Deploy();
            Assert.False(failed.Success);
            seen.Add(Json(failed));
            seen.Add(BatouEngine.Describe(Repo.Root, "test").ToString());

            var editor = SecretsCli.Editor(Path.GetTempPath(), $"[batou]\nmembers = {Keys.AgePublic}\n\n[component:app]\npassword = {_canary}-2\n");
            var (_, editOut, editErr) = SecretsCli.Run(Repo.Root, new Dictionary<string, string?> { ["EDITOR"] = editor }, null, "secrets", "edit", "test");
            File.Delete(editor);
            File.Delete(editor[..^3] + ".txt");
            seen.Add(editOut + editErr);
            var (_, summary, _) = SecretsCli.Run(Repo.Root, null, null, "secrets", "summary");
            seen.Add(summary);
        }

        foreach (var text in seen) Assert.DoesNotContain(_canary, text);
        Assert.Equal($"port 80\npassword {_canary}\n", Repo.Read("work/app/app.conf"));
        Assert.False(Directory.Exists(Repo.Work(".batou-diffs")));
        var files = Directory.GetFiles(Repo.Root, "*", SearchOption.AllDirectories)
            .Where(f => f != Repo.Work("app/app.conf") && f != Repo.Work("app/cert.pem")).ToList();
        Assert.Contains(Repo.PathOf("environments/test/secrets.cfg.age"), files);
        Assert.All(files, f => Assert.DoesNotContain(_canary, System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(f))));
        Assert.All(Directory.GetDirectories(Path.GetTempPath(), "batou-secrets-*"),
            d => Assert.All(Directory.GetFiles(d, "*", SearchOption.AllDirectories), f => Assert.DoesNotContain(_canary, File.ReadAllText(f))));
        Assert.NotEmpty(_processes);
        Assert.Contains(_processes, p => p.StartsWith("age", StringComparison.Ordinal));
        Assert.DoesNotContain(_processes, p => p.Contains(_canary, StringComparison.Ordinal));
    }
}
