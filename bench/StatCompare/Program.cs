// usage: StatCompare WORKDIR [ROOTS] [FILES_PER_ROOT]
// For each expected file WORKDIR/filesRR/fNNN.txt: stat it, read it, compare it with the bytes
// bench/generate.py gives it ("root R file N\n"). Exit 1 when any differs: the no-op's floor.
using System.Text;

var work = args.Length > 0 ? args[0] : throw new ArgumentException("usage: StatCompare WORKDIR [ROOTS] [FILES_PER_ROOT]");
var roots = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10;
var perRoot = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 100;
var different = 0;
for (var r = 0; r < roots; r++)
{
    for (var n = 0; n < perRoot; n++)
    {
        var path = Path.Combine(work, $"files{r:00}", $"f{n:000}.txt");
        var info = new FileInfo(path);
        var expected = Encoding.UTF8.GetBytes($"root {r} file {n}\n");
        if (!info.Exists || info.Length != expected.Length || !File.ReadAllBytes(path).AsSpan().SequenceEqual(expected))
            different++;
    }
}
Console.WriteLine($"{roots * perRoot} files checked, {different} differ");
return different == 0 ? 0 : 1;
