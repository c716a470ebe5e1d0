using Vaultik.Core.Layout;
using Vaultik.Core.Metadata;

namespace Vaultik.Core.Catalog;

/// <summary>
/// When a complete snapshot's manifest is not believed (docs/FORMAT.md, "Trust"): its id, hostname or name
/// disagree with the directory it sits in, its id's timestamp is not the UTC second of its claimed
/// <c>created</c>, or <c>created</c> lies more than <see cref="AllowedSkew"/> in the future of the moment the
/// store wrote the manifest. A genuine manifest is written after its snapshot started, by the same host.
/// </summary>
public static class SuspectRules
{
    /// <summary>How far a backup host's clock may run ahead of the store's before its snapshots are suspect.</summary>
    public static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);

    /// <summary>Why <paramref name="manifest"/>, found in directory <paramref name="directoryId"/> and written by the store at <paramref name="written"/>, is suspect; null when it is not.</summary>
    public static string? Check(string directoryId, SnapshotManifest manifest, DateTimeOffset written)
    {
        if (!string.Equals(manifest.Id, directoryId, StringComparison.Ordinal))
        {
            return $"its manifest names snapshot '{manifest.Id}', not its directory's id";
        }

        if (!SnapshotId.TryParse(directoryId, out var id))
        {
            return "its directory is not named with a valid snapshot id";
        }

        var parts = directoryId[18..].Split('-');
        if (parts.Length != 3 || parts[0] != StoreLayout.SafeSegment(manifest.Hostname) || parts[1] != StoreLayout.SafeSegment(manifest.Name))
        {
            return $"its manifest's hostname '{manifest.Hostname}' and name '{manifest.Name}' are not the ones in its id";
        }

        var createdSecond = new DateTimeOffset(manifest.Created.UtcTicks - (manifest.Created.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        if (id.Timestamp != createdSecond)
        {
            return $"its id says {id.Timestamp:yyyy-MM-dd HH:mm:ss}Z but its manifest claims it was created {manifest.Created.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z";
        }

        if (manifest.Created > written + AllowedSkew)
        {
            return $"its manifest claims it was created {manifest.Created.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z, after the store wrote it ({written.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z) by more than {AllowedSkew.TotalMinutes:0} minutes";
        }

        return null;
    }
}
