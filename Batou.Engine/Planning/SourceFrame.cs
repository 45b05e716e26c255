using System.Diagnostics;

namespace Batou.Engine.Planning;

/// <summary>A place in the deployment repository's own code: file (relative to the repository) and line.</summary>
internal sealed record SourceFrame(string File, int Line, string? Method)
{
    public override string ToString() => Method is null ? $"{File}:{Line}" : $"{File}:{Line} in {Method}";

    /// <summary>The innermost frame of <paramref name="e"/> in the repository's components.</summary>
    public static SourceFrame? Of(Exception e, string? baseDir) => First(new StackTrace(e, true), baseDir);

    /// <summary>The innermost caller in the repository's components of the code running now (who called Provide, new, ...).</summary>
    public static SourceFrame? Caller(string? baseDir) => baseDir is null ? null : First(new StackTrace(1, true), baseDir);

    private static SourceFrame? First(StackTrace trace, string? baseDir)
    {
        if (baseDir is null) return null;
        var prefix = baseDir.EndsWith(Path.DirectorySeparatorChar) ? baseDir : baseDir + Path.DirectorySeparatorChar;
        foreach (var frame in trace.GetFrames())
        {
            var file = frame.GetFileName();
            if (string.IsNullOrEmpty(file)) continue;
            // components are compiled with paths relative to the repository (components/x/component.cs)
            string shown;
            if (!Path.IsPathRooted(file)) shown = file;
            else if (file.StartsWith(prefix, StringComparison.Ordinal)) shown = Path.GetRelativePath(baseDir, file);
            else continue;
            var method = frame.GetMethod();
            return new SourceFrame(shown, frame.GetFileLineNumber(), method is null ? null : $"{method.DeclaringType?.Name}.{method.Name}");
        }
        return null;
    }
}
