namespace Batou.Engine.Util;

/// <summary>Text of an exception from repository code, whose <c>Message</c> may itself throw.</summary>
internal static class ExceptionText
{
    public static string Message(Exception e)
    {
        try
        {
            return e.Message ?? "";
        }
        catch (Exception inner)
        {
            return $"(its Message threw {inner.GetType().Name})";
        }
    }

    /// <summary><c>Type: message</c>, as errors show an unexpected exception.</summary>
    public static string Describe(Exception e) => $"{e.GetType().Name}: {Message(e)}";
}
