namespace Vaultik.Core.Status;

/// <summary>
/// One (host, name) group of snapshots as <c>store status</c> reports it. <see cref="Latest"/> is its newest
/// complete, unsuspected snapshot by the store's clock (null when it has none); <see cref="Snapshots"/> counts
/// its complete ones, <see cref="Incomplete"/> and <see cref="Suspect"/> the others attributed to it.
/// </summary>
public sealed record GroupStatus(
    string Host,
    string Name,
    LatestSnapshot? Latest,
    int Snapshots,
    int Incomplete,
    int Suspect,
    bool Stale);
