namespace Vaultik.Core.Search;

/// <summary>Where <see cref="SnapshotFinder"/> reports, one path at a time in path order (so output streams).</summary>
public interface IFindSink
{
    void Path(string path, IReadOnlyList<FindEvent> history);
}
