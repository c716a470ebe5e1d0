using Vaultik.Core.Chunking;
using Vaultik.Core.Config;
using Vaultik.Age;

namespace Vaultik.Core.Create;

/// <summary>
/// Turns the config and a <c>snapshot create</c> command line into the snapshot runs to make: an ad-hoc
/// snapshot of the given paths, or the configured snapshots (all, or the one named).
/// </summary>
public static class SnapshotJobs
{
    public const string AdHocName = ConfigDefaults.AdHocSnapshotName;

    public static IReadOnlyList<CreateOptions> Plan(VaultikConfig config, IReadOnlyList<string> paths, string? name, IReadOnlyList<string> extraExcludes, string tempDirectory)
    {
        foreach (var path in paths)
        {
            if (path.StartsWith('-'))
            {
                throw new ConfigurationException($"cannot parse '{path}': unknown option (see 'vaultik snapshot create --help')");
            }
        }

        if (name is not null && !IsValidName(name))
        {
            throw new ConfigurationException($"cannot use snapshot name '{name}': use letters, digits, '.', '_' and '-'");
        }

        if (name is not null && !Layout.SnapshotId.FitsId(config.Hostname, name, out var tooLong))
        {
            throw new ConfigurationException($"cannot use snapshot name '{name}': {tooLong}");
        }

        var recipients = Recipients(config);
        var chunker = new ChunkerOptions((int)config.ChunkMinSize, (int)config.ChunkAvgSize, (int)config.ChunkMaxSize);
        try
        {
            chunker.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new ConfigurationException($"cannot use the chunk sizes in the config: {ex.Message}", ex);
        }

        CreateOptions Make(string snapshotName, IReadOnlyList<string> roots, IReadOnlyList<string> excludes) => new(
            snapshotName,
            roots.Select(p => Path.GetFullPath(p)).ToArray(),
            [.. config.Exclude, .. excludes, .. extraExcludes],
            config.OneFileSystem,
            config.Hostname,
            recipients,
            chunker,
            config.CompressionLevel,
            config.BlobSizeLimit,
            config.UploadConcurrency,
            tempDirectory);

        if (paths.Count > 0)
        {
            CheckRoots(paths);
            return [Make(name ?? AdHocName, paths, [])];
        }

        var configured = config.Snapshots.Where(s => name is null || s.Name == name).ToList();
        if (configured.Count == 0)
        {
            throw new ConfigurationException(name is null
                ? "cannot create a snapshot: no PATH given and no snapshots configured (add a 'snapshots:' section or pass paths)"
                : $"cannot create snapshot '{name}': no such snapshot in the config");
        }

        foreach (var snapshot in configured)
        {
            CheckRoots(snapshot.Paths);
        }

        return configured.Select(s => Make(s.Name, s.Paths, s.Exclude) with { Tags = s.Tags }).ToList();
    }

    /// <summary>
    /// Each job with <paramref name="tags"/> (<c>--tag</c>) added to the tags it already has (a configured
    /// snapshot's <c>tags:</c>); a tag that is not valid is a <see cref="ConfigurationException"/>.
    /// </summary>
    public static IReadOnlyList<CreateOptions> WithTags(IReadOnlyList<CreateOptions> jobs, IReadOnlyList<string> tags)
    {
        var extra = Metadata.SnapshotTags.Normalize(tags, "--tag");
        return extra.Count == 0 ? jobs : jobs.Select(j => j with { Tags = Metadata.SnapshotTags.Normalize([.. j.Tags, .. extra], "--tag") }).ToList();
    }

    /// <summary>Every root must exist before anything is written (a <see cref="ConfigurationException"/> otherwise).</summary>
    private static void CheckRoots(IEnumerable<string> roots)
    {
        foreach (var root in roots)
        {
            var full = Path.GetFullPath(root);
            if (!Platform.Posix.TryLstat(full, out _, out var errno))
            {
                throw new ConfigurationException($"cannot back up {full}: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}");
            }
        }
    }

    /// <summary>The configured recipients, each checked (bech32 checksum included).</summary>
    public static IReadOnlyList<IRecipient> Recipients(VaultikConfig config)
    {
        var list = new List<IRecipient>();
        foreach (var text in config.AgeRecipients)
        {
            list.Add(RecipientText.Parse(text, $"age_recipients[{list.Count}]"));
        }

        return list;
    }

    private static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
