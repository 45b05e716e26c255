namespace Batou.Engine.Diffs;

/// <summary>Line-based unified diffs (Myers' algorithm), as <c>diff -u</c> prints them.</summary>
public static class UnifiedDiff
{
    private enum Op { Keep, Delete, Insert }

    public static IReadOnlyList<string> Create(string oldText, string newText, string oldName = "", string newName = "", int context = 3)
    {
        var a = SplitLines(oldText);
        var b = SplitLines(newText);
        var script = Diff(a, b);
        if (script.All(s => s.Op == Op.Keep)) return [];
        var lines = new List<string> { "--- " + oldName, "+++ " + newName };
        lines[0] = lines[0].TrimEnd();
        lines[1] = lines[1].TrimEnd();
        var i = 0;
        while (i < script.Count)
        {
            if (script[i].Op == Op.Keep) { i++; continue; }
            var start = Math.Max(0, i - context);
            var end = i;
            // extend the hunk while changes are closer than 2*context apart
            while (end < script.Count)
            {
                if (script[end].Op != Op.Keep) { end++; continue; }
                var next = end;
                while (next < script.Count && script[next].Op == Op.Keep) next++;
                if (next < script.Count && next - end <= 2 * context) { end = next; continue; }
                end = Math.Min(script.Count, end + context);
                break;
            }
            var hunk = script.GetRange(start, end - start);
            var oldStart = script[start].OldIndex;
            var newStart = script[start].NewIndex;
            var oldCount = hunk.Count(s => s.Op != Op.Insert);
            var newCount = hunk.Count(s => s.Op != Op.Delete);
            lines.Add($"@@ -{Range(oldStart, oldCount)} +{Range(newStart, newCount)} @@");
            foreach (var s in hunk)
                lines.Add((s.Op switch { Op.Keep => " ", Op.Delete => "-", _ => "+" }) + s.Text);
            i = end;
        }
        return lines;
    }

    private static string Range(int start, int count) =>
        count switch { 0 => $"{start},0", 1 => $"{start + 1}", _ => $"{start + 1},{count}" };

    private static string[] SplitLines(string text)
    {
        if (text.Length == 0) return [];
        var lines = text.Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    private readonly record struct Step(Op Op, string Text, int OldIndex, int NewIndex);

    private static List<Step> Diff(string[] a, string[] b)
    {
        // strip common prefix and suffix: most config changes are small
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix]) prefix++;
        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)]) suffix++;
        var steps = new List<Step>();
        for (var k = 0; k < prefix; k++) steps.Add(new(Op.Keep, a[k], k, k));
        var middle = Myers(a[prefix..^suffix], b[prefix..^suffix]);
        int oi = prefix, ni = prefix;
        foreach (var (op, text) in middle)
        {
            steps.Add(new(op, text, oi, ni));
            if (op != Op.Insert) oi++;
            if (op != Op.Delete) ni++;
        }
        for (var k = 0; k < suffix; k++) steps.Add(new(Op.Keep, a[a.Length - suffix + k], oi + k, ni + k));
        return steps;
    }

    private static List<(Op, string)> Myers(string[] a, string[] b)
    {
        int n = a.Length, m = b.Length, max = n + m;
        var v = new int[2 * max + 2];
        var trace = new List<int[]>();
        for (var d = 0; d <= max; d++)
        {
            trace.Add((int[])v.Clone());
            for (var k = -d; k <= d; k += 2)
            {
                int x = k == -d || (k != d && v[max + k - 1] < v[max + k + 1]) ? v[max + k + 1] : v[max + k - 1] + 1;
                var y = x - k;
                while (x < n && y < m && a[x] == b[y]) { x++; y++; }
                v[max + k] = x;
                if (x >= n && y >= m) return Backtrack(trace, a, b, max);
            }
        }
        return [];
    }

    private static List<(Op, string)> Backtrack(List<int[]> trace, string[] a, string[] b, int max)
    {
        var result = new List<(Op, string)>();
        int x = a.Length, y = b.Length;
        for (var d = trace.Count - 1; d > 0; d--)
        {
            var v = trace[d];
            var k = x - y;
            var prevK = k == -d || (k != d && v[max + k - 1] < v[max + k + 1]) ? k + 1 : k - 1;
            var prevX = v[max + prevK];
            var prevY = prevX - prevK;
            while (x > prevX && y > prevY) { result.Add((Op.Keep, a[x - 1])); x--; y--; }
            if (x == prevX) result.Add((Op.Insert, b[y - 1]));
            else result.Add((Op.Delete, a[x - 1]));
            x = prevX;
            y = prevY;
        }
        while (x > 0 && y > 0) { result.Add((Op.Keep, a[x - 1])); x--; y--; }
        result.Reverse();
        return result;
    }
}
