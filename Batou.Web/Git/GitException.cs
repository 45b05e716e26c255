namespace Batou.Web.Git;

/// <summary>A repository could not be read or fetched; the message is meant for the person looking at the page.</summary>
public sealed class GitException(string message) : Exception(message);
