using System.Diagnostics;

namespace Batou.Engine.Util;

internal static class SourceLocation
{
    /// <summary>The first stack frame of <paramref name="e"/> in the deployment repository: the component's own code.</summary>
    public static string? Find(Exception e, string? baseDir)
    {
        foreach (var frame in new StackTrace(e, true).GetFrames())
        {
            var file = frame.GetFileName();
            if (string.IsNullOrEmpty(file) || (baseDir is not null && !file.StartsWith(baseDir, StringComparison.Ordinal)))
                continue;
            var shown = baseDir is null ? file : Path.GetRelativePath(baseDir, file);
            return $"{shown}:{frame.GetFileLineNumber()} in {frame.GetMethod()?.DeclaringType?.Name}.{frame.GetMethod()?.Name}";
        }
        return null;
    }
}
