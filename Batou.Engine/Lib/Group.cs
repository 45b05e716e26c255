using Batou.Lib.Native;

namespace Batou.Lib;

/// <summary>Ensures the group owning a path (a group name or a numeric gid). Only the group changes; the owner is kept.</summary>
public class Group(string path) : Ownership(path)
{
    protected override string Kind => "group";

    protected override string IdKind => "gid";

    protected override uint? Resolve(string name) => Posix.GroupId(name);

    protected override uint CurrentId(string path) => Posix.OwnerOf(path).Gid;

    protected override void Change(string path, uint id) => Posix.ChangeOwner(path, uid: null, id);
}
