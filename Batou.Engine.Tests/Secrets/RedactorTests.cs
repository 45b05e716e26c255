using Batou.Engine.Api;
using Batou.Engine.Secrets;

namespace Batou.Engine.Tests.Secrets;

/// <summary>The event stream's last line of defence masks secret text, and only text.</summary>
public sealed class RedactorTests
{
    private static List<DeploymentEvent> Through(IReadOnlyCollection<string> secrets, params DeploymentEvent[] events)
    {
        var seen = new List<DeploymentEvent>();
        var emit = SecretRedactor.Wrap(seen.Add, secrets);
        foreach (var e in events) emit(e);
        return seen;
    }

    [Fact]
    public void A_secret_made_of_digits_is_masked_in_text_but_never_breaks_the_timestamp()
    {
        // CI once failed with a port 8443 as the secret: the digits were also in the event's time
        var at = new DateTimeOffset(2026, 11, 22, 6, 3, 52, TimeSpan.Zero).AddTicks(8443000);
        var line = new LogLine("localhost", "App", "listening on 8443") { At = at };
        var jobs = new HostConnecting("localhost", "local", 8443, 8443) { At = at };
        var seen = Through(["8443"], line, jobs);
        Assert.Equal("listening on ********", ((LogLine)seen[0]).Text);
        Assert.Equal(at, seen[0].At);
        Assert.Same(jobs, seen[1]);   // numbers are structure, not secret text
    }

    [Fact]
    public void A_secret_equal_to_a_property_name_or_event_kind_leaves_the_event_whole()
    {
        var line = new LogLine("host1", "App > File('x')", "the text is not secret, the host is");
        var seen = Through(["text", "LogLine", "host1"], line);
        var redacted = Assert.IsType<LogLine>(seen.Single());
        Assert.Equal("********", redacted.Host);
        Assert.Equal("the ******** is not secret, the host is", redacted.Text);
        Assert.Equal("App > File('x')", redacted.Breadcrumbs);
    }

    [Fact]
    public void Secret_text_inside_lists_is_masked_and_events_without_it_pass_unchanged()
    {
        var diff = new FileDiff("localhost", "App", "/srv/app.conf", ["-password = old", "+password = s3cr3t-Value"], null, null);
        var clean = new LogLine("localhost", null, "nothing to hide");
        var seen = Through(["s3cr3t-Value"], diff, clean);
        Assert.Equal(["-password = old", "+password = ********"], ((FileDiff)seen[0]).Lines);
        Assert.Same(clean, seen[1]);
    }
}
