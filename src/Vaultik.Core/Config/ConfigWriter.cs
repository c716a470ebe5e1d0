using System.Globalization;
using System.Text;

namespace Vaultik.Core.Config;

/// <summary>Writes a commented config file (mode 0600) that <see cref="ConfigLoader"/> reads back.</summary>
public static class ConfigWriter
{
    public static void Write(string path, IReadOnlyList<string> recipients, string storageUrl, bool force, string? s3Endpoint = null)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full) && !force)
        {
            throw new ConfigurationException($"cannot write config {full}: the file already exists (use --force to overwrite)");
        }

        var text = Render(recipients, storageUrl, s3Endpoint);
        ConfigLoader.Parse(text, full);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        using (var stream = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            stream.Write(Encoding.UTF8.GetBytes(text));
            stream.Flush(flushToDisk: true);
        }

        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, full, overwrite: true);
    }

    public static string Render(IReadOnlyList<string> recipients, string storageUrl, string? s3Endpoint = null)
    {
        var sb = new StringBuilder();
        sb.Append("# Vaultik configuration. Reference: README.md, \"Configuration\".\n");
        sb.Append("# Backups are encrypted to these public keys; their private keys belong OFF this host.\n");
        sb.Append("age_recipients:\n");
        foreach (var recipient in recipients)
        {
            sb.Append("  - ").Append(recipient).Append('\n');
        }

        sb.Append("\n# Where snapshots go: file:///absolute/path or s3://bucket/optional/prefix\n");
        sb.Append("storage_url: ").Append(Quote(storageUrl)).Append('\n');
        if (s3Endpoint is not null)
        {
            sb.Append("\n# S3-compatible service; credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the AWS profile\n");
            sb.Append("s3:\n  endpoint: ").Append(Quote(s3Endpoint)).Append('\n');
        }
        sb.Append("\n# Defaults, shown for reference:\n");
        sb.Append("# index_path: ~/.local/share/vaultik/index.sqlite\n");
        sb.Append(CultureInfo.InvariantCulture, $"# compression: {ConfigDefaults.Compression.ToString().ToLowerInvariant()}   # auto: compress the chunks a quick probe finds compressible; max: every chunk; off: none\n");
        sb.Append(CultureInfo.InvariantCulture, $"# compression_level: {ConfigDefaults.CompressionLevel}\n");
        sb.Append(CultureInfo.InvariantCulture, $"# blob_size_limit: {Size(ConfigDefaults.BlobSizeLimit)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"# chunk_min_size: {Size(ConfigDefaults.ChunkMinSize)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"# chunk_avg_size: {Size(ConfigDefaults.ChunkAvgSize)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"# chunk_max_size: {Size(ConfigDefaults.ChunkMaxSize)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"# one_file_system: {(ConfigDefaults.OneFileSystem ? "true" : "false")}\n");
        sb.Append(CultureInfo.InvariantCulture, $"# hook_timeout: {(int)ConfigDefaults.HookTimeout.TotalMinutes}m\n");
        sb.Append("""
            # exclude: ['*.swp']
            # exclude_caches: false          # true: skip the contents of directories with a CACHEDIR.TAG
            # exclude_if_present: [.nobackup]
            # exclude_larger_than: 1GiB
            #
            # Named snapshots, run by `vaultik snapshot create` with no paths:
            # snapshots:
            #   home:
            #     paths: [/home/me]
            #     exclude: ['*.tmp', '**/.cache/**', 'node_modules/']
            #     hooks:                       # shell commands (/bin/sh -c); README "Hooks"
            #       before: ['pg_dump -Fc mydb > /var/backups/mydb.dump']
            #       after: []
            #       on_failure: []

            """);
        return sb.ToString();
    }

    /// <summary>"1GiB": the <see cref="ByteSize"/> text without its space, as a config file spells it.</summary>
    private static string Size(long bytes) => ByteSize.Format(bytes).Replace(" ", string.Empty, StringComparison.Ordinal);

    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
