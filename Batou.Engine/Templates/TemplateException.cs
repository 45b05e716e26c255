using Batou.Engine.Api;

namespace Batou.Engine.Templates;

/// <summary>A template could not be rendered; the error names the template and line.</summary>
internal sealed class TemplateException(BatouError error) : Exception(error.ToString())
{
    public BatouError Error { get; } = error;
}
