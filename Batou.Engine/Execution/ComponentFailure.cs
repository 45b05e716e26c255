using Batou.Engine.Api;

namespace Batou.Engine.Execution;

/// <summary>A component failed while deploying; carries a report naming host, component and step.</summary>
internal sealed class ComponentFailure(BatouError error, Exception inner) : Exception(error.Message, inner)
{
    public BatouError Error { get; } = error;

    public static ComponentFailure From(Component component, string step, Exception e)
    {
        var host = component.RootState?.Host.Name ?? "?";
        var details = new List<ErrorDetail>
        {
            new("Host", host),
            new("Component", component.Breadcrumbs),
            new("Step", step),
        };
        string message;
        string? body = null;
        switch (e)
        {
            case CmdExecutionError cmd:
                message = "Command failed: " + cmd.Command;
                details.Add(new("Return code", cmd.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                body = "STDOUT\n" + cmd.Stdout.TrimEnd() + "\nSTDERR\n" + cmd.Stderr.TrimEnd();
                break;
            case ConfigurationError or BatouException or DeploymentError:
                message = Util.ExceptionText.Message(e);
                break;
            default:
                message = Util.ExceptionText.Describe(e);
                break;
        }
        var where = Planning.SourceFrame.Of(e, component.RootState?.Environment.BaseDir);
        if (where is not null) details.Add(new("Location", where.ToString()));
        var error = new BatouError("ComponentFailed", message, details)
        {
            Host = host, Component = component.Breadcrumbs, Body = body, SortKey = 100, File = where?.File, Line = where?.Line,
        };
        return new ComponentFailure(error, e);
    }
}
