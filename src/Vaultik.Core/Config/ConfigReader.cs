using Vaultik.Core.Layout;
using Vaultik.Core.Metadata;
using Vaultik.Core.Packing;
using Vaultik.Core.Platform;
using YamlDotNet.RepresentationModel;

namespace Vaultik.Core.Config;

/// <summary>Turns the config's YAML node tree into a <see cref="VaultikConfig"/>: every key checked, defaults from <see cref="ConfigDefaults"/>.</summary>
internal sealed partial class ConfigReader(string source)
{
    private readonly YamlValues _values = new(source);

    public VaultikConfig Read(YamlMappingNode root)
    {
        var keys = Keys(root, "");
        var recipients = keys.TryGetValue("age_recipients", out var r) ? _values.StringList(r, "age_recipients") : [];
        if (recipients.Count == 0)
        {
            throw _values.Error(r ?? root, "age_recipients", "at least one age recipient (age1…) is required");
        }

        for (var i = 0; i < recipients.Count; i++)
        {
            if (!RecipientText.TryParse(recipients[i], out _, out var reason))
            {
                var node = r is YamlSequenceNode seq && i < seq.Children.Count ? seq.Children[i] : r!;
                throw _values.Error(node, "age_recipients", $"cannot use age_recipients[{i}]: {reason}");
            }
        }

        if (RecipientText.MixingProblem(recipients) is { } mixing)
        {
            throw _values.Error(r!, "age_recipients", mixing);
        }

        var config = new VaultikConfig
        {
            AgeRecipients = recipients,
            StorageUrl = StorageUrl(keys),
            IndexPath = IndexPath(keys),
            Hostname = keys.TryGetValue("hostname", out var h) ? _values.NonEmpty(h, "hostname") : Posix.ShortHostName(),
            CompressionLevel = keys.TryGetValue("compression_level", out var c) ? _values.Int(c, "compression_level", 1, 19) : ConfigDefaults.CompressionLevel,
            Compression = CompressionKey(keys),
            BlobSizeLimit = _values.Size(keys, "blob_size_limit", ConfigDefaults.BlobSizeLimit, 1L << 20, 64L << 30),
            ChunkMinSize = _values.Size(keys, "chunk_min_size", ConfigDefaults.ChunkMinSize, 64, 64L << 20),
            ChunkAvgSize = _values.Size(keys, "chunk_avg_size", ConfigDefaults.ChunkAvgSize, 64, 64L << 20),
            ChunkMaxSize = _values.Size(keys, "chunk_max_size", ConfigDefaults.ChunkMaxSize, 64, 64L << 20),
            OneFileSystem = keys.TryGetValue("one_file_system", out var o) ? _values.Bool(o, "one_file_system") : ConfigDefaults.OneFileSystem,
            UploadConcurrency = keys.TryGetValue("upload_concurrency", out var u) ? _values.Int(u, "upload_concurrency", 1, 64) : ConfigDefaults.UploadConcurrency,
            LimitUpload = keys.TryGetValue("limit_upload", out var lu) ? _values.Int(lu, "limit_upload", 0, int.MaxValue) : 0,
            LimitDownload = keys.TryGetValue("limit_download", out var ld) ? _values.Int(ld, "limit_download", 0, int.MaxValue) : 0,
            BackupInterval = _values.Duration(keys, "backup_interval", ConfigDefaults.BackupInterval),
            MinTimeBetweenRun = _values.Duration(keys, "min_time_between_run", ConfigDefaults.MinTimeBetweenRun),
            FullScanInterval = _values.Duration(keys, "full_scan_interval", ConfigDefaults.FullScanInterval),
            PruneGracePeriod = _values.Duration(keys, "prune_grace_period", ConfigDefaults.PruneGracePeriod),
            LockLifetime = LockLifetime(keys),
            Exclude = keys.TryGetValue("exclude", out var e) ? _values.StringList(e, "exclude") : [],
            Excludes = ExcludeKeys(keys, ""),
            HookTimeout = HookTimeout(keys),
            CacheMode = CacheModeKey(keys),
            Snapshots = keys.TryGetValue("snapshots", out var s) ? Snapshots(s) : [],
            S3 = keys.TryGetValue("s3", out var s3) ? S3(s3) : new S3Section(),
        };
        if (config.S3.ObjectLock is not null && !config.StorageUrl.StartsWith("s3://", StringComparison.Ordinal))
        {
            var lockNode = ((YamlMappingNode)keys["s3"]).Children[new YamlScalarNode("object_lock")];
            throw _values.Error(lockNode, "s3.object_lock", "needs an s3:// storage_url (Object Lock is an S3 bucket feature)");
        }

        CheckCrossKeys(config, keys, root);
        return config;
    }

    /// <summary><c>metadata_cache</c>: <c>encrypted</c> (the default), <c>plain</c> or <c>off</c>.</summary>
    private MetadataCacheMode CacheModeKey(Dictionary<string, YamlNode> keys)
    {
        if (!keys.TryGetValue("metadata_cache", out var node))
        {
            return MetadataCacheMode.Encrypted;
        }

        return _values.Scalar(node, "metadata_cache") switch
        {
            "encrypted" => MetadataCacheMode.Encrypted,
            "plain" => MetadataCacheMode.Plain,
            "off" => MetadataCacheMode.Off,
            _ => throw _values.Error(node, "metadata_cache", "must be encrypted, plain or off"),
        };
    }

    /// <summary><c>compression</c>: <c>auto</c> (the default), <c>max</c> or <c>off</c>.</summary>
    private ChunkCompression CompressionKey(Dictionary<string, YamlNode> keys)
    {
        if (!keys.TryGetValue("compression", out var node))
        {
            return ConfigDefaults.Compression;
        }

        var value = _values.Scalar(node, "compression");
        return value switch
        {
            "auto" => ChunkCompression.Auto,
            "max" => ChunkCompression.Max,
            "off" => ChunkCompression.Off,
            _ => throw _values.Error(node, "compression", $"'{value}' must be auto, max or off"),
        };
    }

    /// <summary><c>lock_lifetime</c>: from 1s to 1h (a longer lease is counted as 1h by everyone else, docs/FORMAT.md "Locks").</summary>
    private TimeSpan LockLifetime(Dictionary<string, YamlNode> keys)
    {
        var value = _values.Duration(keys, "lock_lifetime", ConfigDefaults.LockLifetime);
        if (value < TimeSpan.FromSeconds(1) || value > TimeSpan.FromHours(1))
        {
            throw _values.Error(keys["lock_lifetime"], "lock_lifetime", "must be from 1s to 1h");
        }

        return value;
    }

    private static readonly HashSet<string> TopLevel =
    [
        "age_recipients", "storage_url", "index_path", "hostname", "compression", "compression_level", "blob_size_limit",
        "chunk_min_size", "chunk_avg_size", "chunk_max_size", "one_file_system", "upload_concurrency", "limit_upload", "limit_download",
        "backup_interval", "min_time_between_run", "full_scan_interval", "prune_grace_period", "lock_lifetime", "exclude", "snapshots", "s3",
        "exclude_caches", "exclude_if_present", "exclude_larger_than", "hook_timeout", "metadata_cache",
    ];

    private static readonly HashSet<string> S3Keys =
        ["endpoint", "region", "path_style", "access_key_id", "secret_access_key", "request_checksum", "multipart_threshold", "part_size", "timeout", "object_lock"];

    private static readonly HashSet<string> ObjectLockKeys = ["mode", "retention"];

    private static readonly HashSet<string> SnapshotKeys =
        ["paths", "exclude", "exclude_caches", "exclude_if_present", "exclude_larger_than", "files_from", "hooks", "command", "stdin_filename", "tags"];

    private static readonly HashSet<string> HookKeys = ["before", "after", "on_failure"];

    private Dictionary<string, YamlNode> Keys(YamlMappingNode map, string prefix)
    {
        var allowed = prefix switch
        {
            "" => TopLevel,
            "s3." => S3Keys,
            "s3.object_lock." => ObjectLockKeys,
            _ when prefix.EndsWith(".hooks.", StringComparison.Ordinal) => HookKeys,
            _ => SnapshotKeys,
        };
        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in map.Children)
        {
            var key = keyNode is YamlScalarNode { Value: { } k } ? k : throw _values.Error(keyNode, prefix, "keys must be plain strings");
            if (!allowed.Contains(key))
            {
                throw _values.Error(keyNode, prefix + key, $"unknown key '{prefix}{key}'");
            }

            if (!result.TryAdd(key, value))
            {
                throw _values.Error(keyNode, prefix + key, $"duplicate key '{prefix}{key}'");
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

        var url = _values.NonEmpty(node, "storage_url");
        if (url.StartsWith("file://", StringComparison.Ordinal))
        {
            var path = ConfigPaths.Expand(url["file://".Length..]);
            if (!Path.IsPathRooted(path))
            {
                throw _values.Error(node, "storage_url", "a file:// URL needs an absolute path (file:///var/backups/vaultik)");
            }

            return "file://" + path;
        }

        if (url.StartsWith("s3://", StringComparison.Ordinal))
        {
            if (url.Length <= 5 || url[5] == '/')
            {
                throw _values.Error(node, "storage_url", "an s3:// URL needs a bucket (s3://bucket/optional/prefix)");
            }

            return url;
        }

        if (url.StartsWith('/') || url.StartsWith('~'))
        {
            return "file://" + ConfigPaths.Expand(url);
        }

        throw _values.Error(node, "storage_url", $"'{url}' is not a storage URL (use file:///path or s3://bucket/prefix)");
    }

    private string IndexPath(Dictionary<string, YamlNode> keys)
    {
        if (Environment.GetEnvironmentVariable("VAULTIK_INDEX_PATH") is { Length: > 0 } fromEnv)
        {
            return Path.GetFullPath(ConfigPaths.Expand(fromEnv));
        }

        return keys.TryGetValue("index_path", out var node)
            ? Path.GetFullPath(ConfigPaths.Expand(_values.NonEmpty(node, "index_path")))
            : ConfigPaths.DefaultIndexPath();
    }

    private IReadOnlyList<string> Tags(YamlNode node, string key)
    {
        var tags = _values.StringList(node, key);
        foreach (var tag in tags.Where(t => !SnapshotTags.IsValid(t)))
        {
            throw _values.Error(node, key, $"tag '{tag}' must be 1-{SnapshotTags.MaxLength} letters, digits, '.', '_', ':' or '-'");
        }

        return SnapshotTags.Normalize(tags, key);
    }

    private S3Section S3(YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            throw _values.Error(node, "s3", "must be a mapping");
        }

        var keys = Keys(map, "s3.");
        string? Opt(string key) => keys.TryGetValue(key, out var n) ? _values.NonEmpty(n, "s3." + key) : null;
        var checksum = Opt("request_checksum") ?? ConfigDefaults.S3RequestChecksum;
        if (checksum is not ("when_required" or "when_supported"))
        {
            throw _values.Error(keys["request_checksum"], "s3.request_checksum", "must be when_required or when_supported");
        }

        var timeout = _values.Duration(keys, "timeout", ConfigDefaults.S3Timeout, "s3.");
        if (timeout < TimeSpan.FromSeconds(1))
        {
            throw _values.Error(keys["timeout"], "s3.timeout", "must be at least 1s");
        }

        return new S3Section
        {
            Endpoint = Opt("endpoint"),
            Region = Opt("region") ?? ConfigDefaults.S3Region,
            PathStyle = keys.TryGetValue("path_style", out var ps) ? _values.Bool(ps, "s3.path_style") : null,
            AccessKeyId = Opt("access_key_id"),
            SecretAccessKey = Opt("secret_access_key"),
            RequestChecksum = checksum,
            MultipartThreshold = _values.Size(keys, "multipart_threshold", ConfigDefaults.S3MultipartThreshold, 5L << 20, 5L << 30, "s3."),
            PartSize = _values.Size(keys, "part_size", ConfigDefaults.S3PartSize, 5L << 20, 5L << 30, "s3."),
            Timeout = timeout,
            ObjectLock = keys.TryGetValue("object_lock", out var ol) ? ObjectLock(ol) : null,
        };
    }

    /// <summary><c>s3.object_lock: {mode: governance|compliance, retention: 30d}</c>; both keys are required.</summary>
    private ObjectLockSection ObjectLock(YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            throw _values.Error(node, "s3.object_lock", "must be a mapping {mode: governance|compliance, retention: 30d}");
        }

        var keys = Keys(map, "s3.object_lock.");
        if (!keys.TryGetValue("mode", out var modeNode))
        {
            throw _values.Error(node, "s3.object_lock.mode", "is required (governance or compliance)");
        }

        var mode = _values.Scalar(modeNode, "s3.object_lock.mode");
        if (mode is not (ObjectLockSection.Governance or ObjectLockSection.Compliance))
        {
            throw _values.Error(modeNode, "s3.object_lock.mode", $"'{mode}' must be governance or compliance");
        }

        if (!keys.ContainsKey("retention"))
        {
            throw _values.Error(node, "s3.object_lock.retention", "is required (e.g. 30d)");
        }

        var retention = _values.Duration(keys, "retention", TimeSpan.Zero, "s3.object_lock.");
        if (retention <= TimeSpan.Zero)
        {
            throw _values.Error(keys["retention"], "s3.object_lock.retention", "must be more than 0 (e.g. 30d)");
        }

        return new ObjectLockSection(mode, retention);
    }
}
