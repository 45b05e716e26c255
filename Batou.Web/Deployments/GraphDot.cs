using System.Text;
using Batou.Engine.Api;

namespace Batou.Web.Deployments;

/// <summary>The dependency graph of an environment in Graphviz DOT: a cluster per host, a node per root, an edge per dependency.</summary>
public static class GraphDot
{
    public static string NodeId(string host, string component) => $"{host}:{component}";

    public static string Build(EnvironmentOverview overview)
    {
        var sb = new StringBuilder();
        sb.AppendLine("digraph batou {");
        sb.AppendLine("  rankdir=LR; bgcolor=\"transparent\"; fontname=\"Helvetica\";");
        sb.AppendLine("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", color=\"#9aa5b1\", fontname=\"Helvetica\", fontsize=12];");
        sb.AppendLine("  edge [color=\"#7b8794\", arrowsize=0.7];");
        var i = 0;
        foreach (var host in overview.Roots.GroupBy(r => r.Host))
        {
            sb.AppendLine($"  subgraph cluster_{i++} {{ label={Q("host " + host.Key)}; style=\"rounded,dashed\"; color=\"#cbd2d9\"; fontsize=11;");
            foreach (var r in host)
            {
                var id = NodeId(r.Host, r.Component);
                sb.AppendLine($"    {Q(id)} [id={Q("node-" + id)}, label={Q(r.Component)}{(r.Ignored ? ", fontcolor=\"#9aa5b1\", style=\"rounded,dashed\"" : "")}];");
            }
            sb.AppendLine("  }");
        }
        foreach (var r in overview.Roots)
            foreach (var dep in r.DependsOn)
                sb.AppendLine($"  {Q(dep)} -> {Q(NodeId(r.Host, r.Component))};");
        sb.AppendLine("}");
        return sb.ToString();
    }

    private static string Q(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
