namespace Batou.Lib.Internal;

internal enum ArchiveEntryKind { File, Directory, Symlink, HardLink }

/// <summary>One archive member: <see cref="Name"/> is relative to the target, after stripping.</summary>
internal sealed record ArchiveEntry(string Name, ArchiveEntryKind Kind, string? LinkName = null);
