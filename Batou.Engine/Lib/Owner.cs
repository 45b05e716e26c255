using Batou.Lib.Native;

namespace Batou.Lib;

/// <summary>Ensures the user owning a path (a user name or a numeric uid). Only the owner changes; the group is kept.</summary>
public class Owner(string path) : Ownership(path)
{
    protected override string Kind => "user";

    protected override string IdKind => "uid";

    protected override uint? Resolve(string name) => Posix.UserId(name);

    protected override uint CurrentId(string path) => Posix.OwnerOf(path).Uid;

    protected override void Change(string path, uint id) => Posix.ChangeOwner(path, id, gid: null);
}
