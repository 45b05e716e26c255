using System.Runtime.CompilerServices;
using Batou.Engine.Planning;

namespace Batou.Engine.Tests.Planning;

/// <summary>Source locations cost a stack walk each: captured only while the tracker asks for them (issue #13).</summary>
public sealed class ConfigureTrackerTests
{
    [Fact]
    public void A_configure_pass_captures_no_locations_until_asked_and_then_names_file_and_line()
    {
        var baseDir = Path.GetDirectoryName(ThisFile())!;
        var tracker = ConfigureTracker.Begin();
        try
        {
            Assert.False(tracker.CaptureLocations);
            Assert.Null(ConfigureTracker.CallerIfCaptured(baseDir));

            tracker.CaptureLocations = true;
            var line = ThisLine() + 1;
            var where = ConfigureTracker.CallerIfCaptured(baseDir);
            Assert.NotNull(where);
            Assert.Equal(Path.GetFileName(ThisFile()), where.File);
            Assert.Equal(line, where.Line);
        }
        finally
        {
            ConfigureTracker.End();
        }
    }

    [Fact]
    public void Outside_a_configure_pass_the_caller_is_always_located()
    {
        var baseDir = Path.GetDirectoryName(ThisFile())!;
        Assert.Null(ConfigureTracker.Current);
        Assert.Equal(Path.GetFileName(ThisFile()), ConfigureTracker.CallerIfCaptured(baseDir)?.File);
    }

    private static string ThisFile([CallerFilePath] string file = "") => file;

    private static int ThisLine([CallerLineNumber] int line = 0) => line;
}
