using Vaultik.Core.Index;

namespace Vaultik.Core.Daemon;

/// <summary>The dirty paths kept in the local index (table <c>dirty_paths</c>), where snapshot runs read and clear them.</summary>
public sealed class IndexDirtyPathStore(LocalIndex index) : IDirtyPathStore
{
    public void Add(IReadOnlyCollection<string> paths) => index.AddDirtyPaths(paths);

    public bool Any() => index.HasDirtyPaths();
}
