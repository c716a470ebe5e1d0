namespace Vaultik.Core.Daemon;

/// <summary>Where the daemon keeps the paths its file watcher saw change, until a run covers them.</summary>
public interface IDirtyPathStore
{
    void Add(IReadOnlyCollection<string> paths);

    bool Any();
}
