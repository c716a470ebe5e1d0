using Vaultik.Core.Layout;
using YamlDotNet.RepresentationModel;

namespace Vaultik.Core.Config;

/// <summary>
/// Checks that compare two keys. Each error names the line of the key the user wrote (the one to change), never
/// the top of the file, and says what value would do.
/// </summary>
internal sealed partial class ConfigReader
{
    private void CheckCrossKeys(VaultikConfig config, Dictionary<string, YamlNode> keys, YamlMappingNode root)
    {
        CheckIdFits(config, keys, root);
        long min = config.ChunkMinSize, avg = config.ChunkAvgSize, max = config.ChunkMaxSize;
        if (min > avg)
        {
            // The key given blames itself; when both are given the smaller bound moves (chunk_min_size).
            throw keys.TryGetValue("chunk_min_size", out var minNode)
                ? _values.Error(minNode, "chunk_min_size", $"must be at most chunk_avg_size ({ByteSize.Format(avg)}): set {Value(avg)} or less")
                : _values.Error(keys["chunk_avg_size"], "chunk_avg_size", $"must be at least chunk_min_size ({ByteSize.Format(min)}): set {Value(min)} or more");
        }

        if (avg > max)
        {
            throw keys.TryGetValue("chunk_avg_size", out var avgNode)
                ? _values.Error(avgNode, "chunk_avg_size", $"must be at most chunk_max_size ({ByteSize.Format(max)}): set {Value(max)} or less")
                : _values.Error(keys["chunk_max_size"], "chunk_max_size", $"must be at least chunk_avg_size ({ByteSize.Format(avg)}): set {Value(avg)} or more");
        }

        if (config.BlobSizeLimit < 2 * max)
        {
            throw keys.TryGetValue("blob_size_limit", out var blobNode)
                ? _values.Error(blobNode, "blob_size_limit", $"must be at least twice chunk_max_size ({ByteSize.Format(max)}): set {Value(2 * max)} or more")
                : _values.Error(keys["chunk_max_size"], "chunk_max_size", $"must be at most half of blob_size_limit ({ByteSize.Format(config.BlobSizeLimit)}): set {Value(config.BlobSizeLimit / 2)} or less");
        }
    }

    /// <summary>Every snapshot id this config can make must parse again: hostname and each name together fit in one.</summary>
    private void CheckIdFits(VaultikConfig config, Dictionary<string, YamlNode> keys, YamlMappingNode root)
    {
        var names = keys.TryGetValue("snapshots", out var s) && s is YamlMappingNode map ? map.Children.Keys : [];
        foreach (var name in config.Snapshots.Select(j => j.Name).Append(ConfigDefaults.AdHocSnapshotName))
        {
            if (SnapshotId.FitsId(config.Hostname, name, out var reason))
            {
                continue;
            }

            var room = Math.Max(0, SnapshotId.MaxHostAndName - StoreLayout.SafeSegment(name).Length);
            if (keys.TryGetValue("hostname", out var hostNode))
            {
                throw _values.Error(hostNode, "hostname", $"cannot use hostname: {reason}: set a hostname of at most {room} characters");
            }

            // The machine's own hostname: the snapshot's name is the key in this file to shorten (or set hostname:).
            var nameNode = names.FirstOrDefault(n => n is YamlScalarNode { Value: { } v } && v == name) ?? root;
            var shorter = Math.Max(0, SnapshotId.MaxHostAndName - StoreLayout.SafeSegment(config.Hostname).Length);
            throw _values.Error(nameNode, $"snapshots.{name}", $"{reason}: name the snapshot with at most {shorter} characters, or set a hostname of at most {room} characters");
        }
    }

    /// <summary>A size as the config accepts it, exact: the largest binary unit that divides it (8MiB, 300KiB, 1000).</summary>
    private static string Value(long bytes)
    {
        foreach (var (unit, size) in new[] { ("TiB", 1L << 40), ("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10) })
        {
            if (bytes >= size && bytes % size == 0)
            {
                return $"{bytes / size}{unit}";
            }
        }

        return bytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
