using Vaultik.Core.Storage;

namespace Vaultik.Core.Integrity;

/// <summary>
/// A key that was written more than once (or deleted and written again): Vaultik writes each key once, so
/// every version after the first is someone else's. <see cref="First"/> is the version Vaultik wrote.
/// </summary>
public sealed record KeyHistory(string Key, ObjectVersion First, int Versions, int DeleteMarkers, bool LatestIsDeleteMarker)
{
    public string Describe() =>
        $"{Key} has {Versions} version{(Versions == 1 ? string.Empty : "s")}{(DeleteMarkers > 0 ? $" and {DeleteMarkers} delete marker{(DeleteMarkers == 1 ? string.Empty : "s")}" : string.Empty)}: "
        + "it was changed after it was written (tampering); the first version is the one used";
}
