using Vaultik.Core.Index;

namespace Vaultik.Core.Daemon;

/// <summary>The dirty paths kept in the local index (table <c>dirty_paths</c>), where snapshot runs read and clear them.</summary>
public sealed class IndexDirtyPathStore(DirtyPathQueue queue) : IDirtyPathStore
{
    public void Add(IReadOnlyCollection<string> paths) => queue.Add(paths);

    public bool Any() => queue.Any();
}
