using System.Globalization;
using Vaultik.Core.Platform;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Vaultik.Core.Config;

/// <summary>
/// Reads the YAML config by hand from YamlDotNet's node tree (no reflection, so NativeAOT-safe), applying
/// defaults and checking every key. Each error is one <see cref="ConfigurationException"/> line naming the
/// file, line and key.
/// </summary>
public static class ConfigLoader
{
    public static VaultikConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"cannot read config {path}: {ex.Message}", ex);
        }

        return Parse(text, path);
    }

    public static VaultikConfig Parse(string yamlText, string sourceName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yamlText));
        }
        catch (YamlException ex)
        {
            throw new ConfigurationException($"{sourceName}:{ex.Start.Line}: invalid YAML: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
        {
            // YamlDotNet's scanner throws these on some malformed inputs (found by the parser fuzz test).
            throw new ConfigurationException($"{sourceName}: invalid YAML: {ex.Message}", ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ConfigurationException($"{sourceName}: the config must be a YAML mapping of keys to values");
        }

        return new ConfigReader(sourceName).Read(root);
    }

    private sealed class ConfigReader(string source)
    {
        public VaultikConfig Read(YamlMappingNode root)
        {
            var keys = Keys(root, "");
            var recipients = keys.TryGetValue("age_recipients", out var r) ? StringList(r, "age_recipients") : [];
            if (recipients.Count == 0)
            {
                throw Error(r ?? root, "age_recipients", "at least one age recipient (age1…) is required");
            }

            foreach (var recipient in recipients)
            {
                if (!Vaultik.Age.X25519Recipient.TryParse(recipient, out _))
                {
                    throw Error(r!, "age_recipients", $"'{recipient}' is not a valid age X25519 public key (age1…)");
                }
            }

            var config = new VaultikConfig
            {
                AgeRecipients = recipients,
                StorageUrl = StorageUrl(keys),
                IndexPath = IndexPath(keys),
                Hostname = keys.TryGetValue("hostname", out var h) ? NonEmpty(h, "hostname") : Posix.ShortHostName(),
                CompressionLevel = keys.TryGetValue("compression_level", out var c) ? Int(c, "compression_level", 1, 19) : ConfigDefaults.CompressionLevel,
                BlobSizeLimit = Size(keys, "blob_size_limit", ConfigDefaults.BlobSizeLimit, 1L << 20, 64L << 30),
                ChunkMinSize = Size(keys, "chunk_min_size", ConfigDefaults.ChunkMinSize, 64, 64L << 20),
                ChunkAvgSize = Size(keys, "chunk_avg_size", ConfigDefaults.ChunkAvgSize, 64, 64L << 20),
                ChunkMaxSize = Size(keys, "chunk_max_size", ConfigDefaults.ChunkMaxSize, 64, 64L << 20),
                OneFileSystem = keys.TryGetValue("one_file_system", out var o) ? Bool(o, "one_file_system") : ConfigDefaults.OneFileSystem,
                UploadConcurrency = keys.TryGetValue("upload_concurrency", out var u) ? Int(u, "upload_concurrency", 1, 64) : ConfigDefaults.UploadConcurrency,
                BackupInterval = Duration(keys, "backup_interval", ConfigDefaults.BackupInterval),
                MinTimeBetweenRun = Duration(keys, "min_time_between_run", ConfigDefaults.MinTimeBetweenRun),
                FullScanInterval = Duration(keys, "full_scan_interval", ConfigDefaults.FullScanInterval),
                PruneGracePeriod = Duration(keys, "prune_grace_period", ConfigDefaults.PruneGracePeriod),
                Exclude = keys.TryGetValue("exclude", out var e) ? StringList(e, "exclude") : [],
                Snapshots = keys.TryGetValue("snapshots", out var s) ? Snapshots(s) : [],
                S3 = keys.TryGetValue("s3", out var s3) ? S3(s3) : new S3Section(),
            };
            if (!(config.ChunkMinSize <= config.ChunkAvgSize && config.ChunkAvgSize <= config.ChunkMaxSize))
            {
                throw Error(root, "chunk_avg_size", "chunk sizes must satisfy chunk_min_size <= chunk_avg_size <= chunk_max_size");
            }

            if (config.BlobSizeLimit < 2 * config.ChunkMaxSize)
            {
                throw Error(root, "blob_size_limit", "must be at least twice chunk_max_size");
            }

            return config;
        }

        private static readonly HashSet<string> TopLevel =
        [
            "age_recipients", "storage_url", "index_path", "hostname", "compression_level", "blob_size_limit",
            "chunk_min_size", "chunk_avg_size", "chunk_max_size", "one_file_system", "upload_concurrency",
            "backup_interval", "min_time_between_run", "full_scan_interval", "prune_grace_period", "exclude", "snapshots", "s3",
        ];

        private static readonly HashSet<string> S3Keys =
            ["endpoint", "region", "path_style", "access_key_id", "secret_access_key", "request_checksum", "multipart_threshold", "part_size", "timeout"];

        private static readonly HashSet<string> SnapshotKeys = ["paths", "exclude"];

        private Dictionary<string, YamlNode> Keys(YamlMappingNode map, string prefix)
        {
            var allowed = prefix switch
            {
                "" => TopLevel,
                "s3." => S3Keys,
                _ => SnapshotKeys,
            };
            var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in map.Children)
            {
                var key = keyNode is YamlScalarNode { Value: { } k } ? k : throw Error(keyNode, prefix, "keys must be plain strings");
                if (!allowed.Contains(key))
                {
                    throw Error(keyNode, prefix + key, $"unknown key '{prefix}{key}'");
                }

                if (!result.TryAdd(key, value))
                {
                    throw Error(keyNode, prefix + key, $"duplicate key '{prefix}{key}'");
                }
            }

            return result;
        }

        private string StorageUrl(Dictionary<string, YamlNode> keys)
        {
            if (!keys.TryGetValue("storage_url", out var node))
            {
                return ConfigPaths.DefaultStorageUrl();
            }

            var url = NonEmpty(node, "storage_url");
            if (url.StartsWith("file://", StringComparison.Ordinal))
            {
                var path = ConfigPaths.Expand(url["file://".Length..]);
                if (!Path.IsPathRooted(path))
                {
                    throw Error(node, "storage_url", "a file:// URL needs an absolute path (file:///var/backups/vaultik)");
                }

                return "file://" + path;
            }

            if (url.StartsWith("s3://", StringComparison.Ordinal))
            {
                if (url.Length <= 5 || url[5] == '/')
                {
                    throw Error(node, "storage_url", "an s3:// URL needs a bucket (s3://bucket/optional/prefix)");
                }

                return url;
            }

            if (url.StartsWith('/') || url.StartsWith('~'))
            {
                return "file://" + ConfigPaths.Expand(url);
            }

            throw Error(node, "storage_url", $"'{url}' is not a storage URL (use file:///path or s3://bucket/prefix)");
        }

        private string IndexPath(Dictionary<string, YamlNode> keys)
        {
            if (Environment.GetEnvironmentVariable("VAULTIK_INDEX_PATH") is { Length: > 0 } fromEnv)
            {
                return Path.GetFullPath(ConfigPaths.Expand(fromEnv));
            }

            return keys.TryGetValue("index_path", out var node)
                ? Path.GetFullPath(ConfigPaths.Expand(NonEmpty(node, "index_path")))
                : ConfigPaths.DefaultIndexPath();
        }

        private List<SnapshotConfig> Snapshots(YamlNode node)
        {
            if (node is not YamlMappingNode map)
            {
                throw Error(node, "snapshots", "must be a mapping of snapshot names to {paths, exclude}");
            }

            var list = new List<SnapshotConfig>();
            foreach (var (keyNode, value) in map.Children)
            {
                var name = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
                if (name.Length is 0 or > 64 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_' or '-'))
                {
                    throw Error(keyNode, "snapshots", $"snapshot name '{name}' must be 1-64 letters, digits, '.', '_' or '-'");
                }

                if (value is not YamlMappingNode body)
                {
                    throw Error(value, $"snapshots.{name}", "must be a mapping with 'paths' (and optionally 'exclude')");
                }

                var keys = Keys(body, $"snapshots.{name}.");
                var paths = keys.TryGetValue("paths", out var p) ? StringList(p, $"snapshots.{name}.paths") : [];
                if (paths.Count == 0)
                {
                    throw Error(value, $"snapshots.{name}.paths", "at least one path is required");
                }

                var expanded = new List<string>();
                foreach (var path in paths)
                {
                    var full = ConfigPaths.Expand(path);
                    if (!Path.IsPathRooted(full))
                    {
                        throw Error(p!, $"snapshots.{name}.paths", $"'{path}' is not an absolute path");
                    }

                    expanded.Add(full);
                }

                list.Add(new SnapshotConfig(name, expanded, keys.TryGetValue("exclude", out var x) ? StringList(x, $"snapshots.{name}.exclude") : []));
            }

            return list;
        }

        private S3Section S3(YamlNode node)
        {
            if (node is not YamlMappingNode map)
            {
                throw Error(node, "s3", "must be a mapping");
            }

            var keys = Keys(map, "s3.");
            string? Opt(string key) => keys.TryGetValue(key, out var n) ? NonEmpty(n, "s3." + key) : null;
            var checksum = Opt("request_checksum") ?? ConfigDefaults.S3RequestChecksum;
            if (checksum is not ("when_required" or "when_supported"))
            {
                throw Error(keys["request_checksum"], "s3.request_checksum", "must be when_required or when_supported");
            }

            var timeout = Duration(keys, "timeout", ConfigDefaults.S3Timeout, "s3.");
            if (timeout < TimeSpan.FromSeconds(1))
            {
                throw Error(keys["timeout"], "s3.timeout", "must be at least 1s");
            }

            return new S3Section
            {
                Endpoint = Opt("endpoint"),
                Region = Opt("region") ?? ConfigDefaults.S3Region,
                PathStyle = keys.TryGetValue("path_style", out var ps) ? Bool(ps, "s3.path_style") : null,
                AccessKeyId = Opt("access_key_id"),
                SecretAccessKey = Opt("secret_access_key"),
                RequestChecksum = checksum,
                MultipartThreshold = Size(keys, "multipart_threshold", ConfigDefaults.S3MultipartThreshold, 5L << 20, 5L << 30, "s3."),
                PartSize = Size(keys, "part_size", ConfigDefaults.S3PartSize, 5L << 20, 5L << 30, "s3."),
                Timeout = timeout,
            };
        }

        private long Size(Dictionary<string, YamlNode> keys, string key, long fallback, long min, long max, string prefix = "")
        {
            if (!keys.TryGetValue(key, out var node))
            {
                return fallback;
            }

            var text = Scalar(node, prefix + key);
            if (!ByteSize.TryParse(text, out var bytes))
            {
                throw Error(node, prefix + key, $"'{text}' is not a size (use e.g. 512MiB, 1GiB)");
            }

            if (bytes < min || bytes > max)
            {
                throw Error(node, prefix + key, $"must be between {ByteSize.Format(min)} and {ByteSize.Format(max)}");
            }

            return bytes;
        }

        private TimeSpan Duration(Dictionary<string, YamlNode> keys, string key, TimeSpan fallback, string prefix = "")
        {
            if (!keys.TryGetValue(key, out var node))
            {
                return fallback;
            }

            var text = Scalar(node, prefix + key);
            try
            {
                return DurationParser.Parse(text);
            }
            catch (FormatException ex)
            {
                throw Error(node, prefix + key, ex.Message);
            }
        }

        private int Int(YamlNode node, string key, int min, int max)
        {
            var text = Scalar(node, key);
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            {
                throw Error(node, key, $"'{text}' is not a whole number from {min} to {max}");
            }

            return value;
        }

        private bool Bool(YamlNode node, string key) => Scalar(node, key) switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            var other => throw Error(node, key, $"'{other}' is not true or false"),
        };

        private string NonEmpty(YamlNode node, string key)
        {
            var text = Scalar(node, key);
            return text.Length > 0 ? text : throw Error(node, key, "must not be empty");
        }

        private string Scalar(YamlNode node, string key) =>
            node is YamlScalarNode scalar ? scalar.Value ?? string.Empty : throw Error(node, key, "must be a single value");

        private List<string> StringList(YamlNode node, string key) => node switch
        {
            YamlSequenceNode seq => seq.Children.Select(item => Scalar(item, key)).ToList(),
            YamlScalarNode { Value: { Length: > 0 } single } => [single],
            YamlScalarNode => [],
            _ => throw Error(node, key, "must be a list of strings"),
        };

        private ConfigurationException Error(YamlNode node, string key, string message) =>
            new($"{source}:{node.Start.Line}: {(key.Length > 0 && !message.Contains($"'{key}'", StringComparison.Ordinal) ? key + ": " : string.Empty)}{message}");
    }
}
