using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Vaultik.Core.Metadata;

/// <summary>
/// Whether a downloaded metadata database belongs to its manifest (docs/FORMAT.md, "Snapshot metadata"): the
/// <c>snapshot</c> table's id, hostname, name and created (and tags, when it records them) must be the manifest's, and the <c>blobs</c> table
/// must hold exactly the manifest's blobs with the same sizes. The manifest is unencrypted and unsigned, so
/// without this a manifest pointed at another snapshot's metadata (with its hash and size patched) would be
/// restored as that other snapshot.
/// </summary>
public static class MetadataManifestCheck
{
    /// <summary>The <c>snapshot</c> table keys compared with the manifest.</summary>
    public static readonly IReadOnlyList<string> ComparedKeys = ["id", "hostname", "name", "created"];

    /// <summary>The most of a value from the metadata shown in a message (the metadata may be an attacker's).</summary>
    private const int ShownLength = 80;

    /// <summary>The first way <paramref name="reader"/>'s database disagrees with <paramref name="manifest"/>, or null.</summary>
    public static string? Problem(MetadataReader reader, SnapshotManifest manifest)
    {
        var info = reader.Query(ReadInfo);
        if (InfoProblem(info, manifest) is { } problem)
        {
            return problem;
        }

        var blobs = new BlobSetComparison(manifest.Blobs);
        reader.Query(db => ReadBlobs(db, blobs));
        return blobs.Finish();
    }

    /// <summary>Throws, naming what differs, unless <paramref name="reader"/>'s database belongs to <paramref name="manifest"/>.</summary>
    public static void Require(MetadataReader reader, SnapshotManifest manifest)
    {
        if (Problem(reader, manifest) is { } problem)
        {
            throw new CorruptDataException($"cannot use snapshot {manifest.Id}: {problem}");
        }
    }

    /// <summary>The first of <see cref="ComparedKeys"/> whose value in <paramref name="info"/> is not the manifest's, as a message; null when all agree.</summary>
    public static string? InfoProblem(IReadOnlyDictionary<string, string> info, SnapshotManifest manifest)
    {
        foreach (var key in ComparedKeys)
        {
            if (!info.TryGetValue(key, out _))
            {
                return $"its metadata does not record the snapshot's {key}";
            }
        }

        if (!string.Equals(info["id"], manifest.Id, StringComparison.Ordinal))
        {
            return $"its metadata belongs to snapshot {Shown(info["id"])} (the manifest was pointed at another snapshot's metadata)";
        }

        if (!string.Equals(info["hostname"], manifest.Hostname, StringComparison.Ordinal))
        {
            return $"its metadata was made on host {Shown(info["hostname"])}, the manifest says {Shown(manifest.Hostname)}";
        }

        if (!string.Equals(info["name"], manifest.Name, StringComparison.Ordinal))
        {
            return $"its metadata is of a snapshot named {Shown(info["name"])}, the manifest says {Shown(manifest.Name)}";
        }

        if (!DateTimeOffset.TryParse(info["created"], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var created)
            || created.UtcTicks != manifest.Created.UtcTicks)
        {
            return $"its metadata was created {Shown(info["created"])}, the manifest says {manifest.Created.ToString("O", CultureInfo.InvariantCulture)}";
        }

        return info.TryGetValue("tags", out var tags) ? TagsProblem(tags, manifest) : null;
    }

    /// <summary>
    /// Whether the metadata's <c>tags</c> (a JSON array of strings; metadata written before tags existed has no
    /// such key and is not compared) are the manifest's, as a set.
    /// </summary>
    private static string? TagsProblem(string json, SnapshotManifest manifest)
    {
        var recorded = new SortedSet<string>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                return $"its metadata's tags {Shown(json)} are not a JSON array";
            }

            foreach (var item in doc.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    return $"its metadata's tags {Shown(json)} are not all strings";
                }

                recorded.Add(item.GetString()!);
            }
        }
        catch (JsonException)
        {
            return $"its metadata's tags {Shown(json)} are not valid JSON";
        }

        return recorded.SetEquals(manifest.Tags)
            ? null
            : $"its metadata has tags {Shown(string.Join(",", recorded))}, the manifest says {Shown(string.Join(",", manifest.Tags))}";
    }

    /// <summary>A value from the metadata as it appears in a message: quoted, and cut short when long.</summary>
    internal static string Shown(string value) => value.Length <= ShownLength ? $"'{value}'" : $"'{value[..ShownLength]}…'";

    private static Dictionary<string, string> ReadInfo(SqliteConnection db)
    {
        var info = new Dictionary<string, string>(StringComparer.Ordinal);
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT key, CASE WHEN typeof(value) = 'text' THEN value ELSE quote(value) END FROM snapshot WHERE key IN ('id', 'hostname', 'name', 'created', 'tags');";
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            info[r.GetString(0)] = r.GetString(1);
        }

        return info;
    }

    /// <summary>Feeds the blobs table, in hash order, to <paramref name="blobs"/> until it has found a difference.</summary>
    private static int ReadBlobs(SqliteConnection db, BlobSetComparison blobs)
    {
        using var cmd = db.CreateCommand();
        // A hash that is not text or a size that is not an integer cannot match a manifest entry: shown quoted, size -1.
        cmd.CommandText = "SELECT CASE WHEN typeof(hash) = 'text' THEN hash ELSE quote(hash) END, CASE WHEN typeof(size) = 'integer' THEN size ELSE -1 END FROM blobs ORDER BY hash;";
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            if (!blobs.Next(r.GetString(0), r.GetInt64(1)))
            {
                break;
            }
        }

        return 0;
    }
}
