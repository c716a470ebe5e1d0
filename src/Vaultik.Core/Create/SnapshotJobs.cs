using Vaultik.Core.Chunking;
using Vaultik.Core.Config;
using Vaultik.Core.Source;
using Vaultik.Age;
using Vaultik.Core.Streams;

namespace Vaultik.Core.Create;

/// <summary>
/// Turns the config and a <c>snapshot create</c> command line into the snapshot runs to make: an ad-hoc
/// snapshot of the given paths, or the configured snapshots (all, or the one named).
/// </summary>
public static class SnapshotJobs
{
    public const string AdHocName = ConfigDefaults.AdHocSnapshotName;

    public static IReadOnlyList<CreateOptions> Plan(
        VaultikConfig config, IReadOnlyList<string> paths, string? name, IReadOnlyList<string> extraExcludes, string tempDirectory, SourceFlags? flags = null)
    {
        flags ??= SourceFlags.None;
        var flagRules = FlagRules(flags);
        if (flags.FilesFrom.Count > 0)
        {
            var listed = flags.FilesFrom.SelectMany(f => PathListFile.Read(f, Environment.CurrentDirectory, "--files-from")).ToList();
            if (listed.Count == 0)
            {
                throw new ConfigurationException($"cannot use --files-from {string.Join(", ", flags.FilesFrom)}: it lists no paths");
            }

            paths = [.. paths, .. listed];
        }

        foreach (var path in paths)
        {
            if (path.StartsWith('-'))
            {
                throw new ConfigurationException($"cannot parse '{path}': unknown option (see 'vaultik snapshot create --help')");
            }
        }

        // Paths are given in the escaped form of names (docs/FORMAT.md, "Names"): "\xff" is the byte 0xff.
        paths = [.. paths.Select(Platform.RawName.Canonical)];
        var make = Maker(config, name, extraExcludes, tempDirectory, flagRules);
        if (paths.Count > 0)
        {
            CheckRoots(paths);
            return [make(name ?? AdHocName, paths, [], null)];
        }

        var configured = config.Snapshots.Where(s => name is null || s.Name == name).ToList();
        if (configured.Count == 0)
        {
            throw new ConfigurationException(name is null
                ? "cannot create a snapshot: no PATH given and no snapshots configured (add a 'snapshots:' section or pass paths)"
                : $"cannot create snapshot '{name}': no such snapshot in the config");
        }

        var planned = new List<CreateOptions>();
        foreach (var snapshot in configured)
        {
            if (snapshot.Command is { } command)
            {
                planned.Add(make(snapshot.Name, [], [], null) with { Stream = new StreamInput(snapshot.StdinFilename, new CommandSource(command)), Hooks = snapshot.Hooks, Tags = snapshot.Tags });
                continue;
            }

            IReadOnlyList<string> roots = snapshot.FilesFrom is { } list
                ? [.. snapshot.Paths.Select(Platform.RawName.Canonical), .. PathListFile.Read(list, Path.GetDirectoryName(list)!, $"snapshots.{snapshot.Name}.files_from").Select(Platform.RawName.Canonical)]
                : [.. snapshot.Paths.Select(Platform.RawName.Canonical)];
            if (roots.Count == 0)
            {
                throw new ConfigurationException($"cannot create snapshot '{snapshot.Name}': its files_from {snapshot.FilesFrom} lists no paths");
            }

            CheckRoots(roots);
            planned.Add(make(snapshot.Name, roots, snapshot.Exclude, snapshot.Excludes) with { Hooks = snapshot.Hooks, Tags = snapshot.Tags });
        }

        return planned;
    }

    /// <summary>
    /// A stream snapshot (<c>--stdin</c>, <c>--stdin-from-command</c>): one file, <paramref name="input"/>'s
    /// name, in a snapshot named <paramref name="name"/> (default <see cref="StreamName"/>).
    /// </summary>
    public static CreateOptions PlanStream(VaultikConfig config, StreamInput input, string? name, string tempDirectory)
    {
        StreamFileName.Check(input.FileName, "--stdin-filename");
        return Maker(config, name, [], tempDirectory, ExcludeKeys.None)(name ?? StreamName, [], [], null) with { Stream = input };
    }

    /// <summary>The default name of a stream snapshot.</summary>
    public const string StreamName = "stdin";

    private static Func<string, IReadOnlyList<string>, IReadOnlyList<string>, ExcludeKeys?, CreateOptions> Maker(
        VaultikConfig config, string? name, IReadOnlyList<string> extraExcludes, string tempDirectory, ExcludeKeys flagRules)
    {
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

        return (snapshotName, roots, excludes, own) => new(
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
            tempDirectory)
        {
            ExcludeRules = Rules(config.Excludes, own ?? ExcludeKeys.None, flagRules),
            Compression = config.Compression,
        };
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

    /// <summary>The command line's exclude flags, checked: marker names and a size above zero.</summary>
    private static ExcludeKeys FlagRules(SourceFlags flags)
    {
        foreach (var marker in flags.ExcludeIfPresent)
        {
            if (!ExcludeRules.IsValidMarkerName(marker))
            {
                throw new ConfigurationException($"cannot use --exclude-if-present '{marker}': give a file name (no '/')");
            }
        }

        long? limit = null;
        if (flags.ExcludeLargerThan is { } text)
        {
            if (!ByteSize.TryParse(text, out var bytes) || bytes <= 0)
            {
                throw new ConfigurationException($"cannot use --exclude-larger-than '{text}': not a size above zero (use e.g. 512MiB, 1GiB)");
            }

            limit = bytes;
        }

        return new ExcludeKeys(flags.ExcludeCaches ? true : null, flags.ExcludeIfPresent, limit);
    }

    /// <summary>
    /// One job's rules: the command line's flags over the snapshot's keys over the top-level keys;
    /// marker names from all three add up, as <c>exclude</c> patterns do.
    /// </summary>
    private static ExcludeRules Rules(ExcludeKeys global, ExcludeKeys own, ExcludeKeys flags) => new(
        flags.Caches ?? own.Caches ?? global.Caches ?? false,
        [.. global.IfPresent.Concat(own.IfPresent).Concat(flags.IfPresent).Distinct(StringComparer.Ordinal)],
        flags.LargerThan ?? own.LargerThan ?? global.LargerThan ?? 0);

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
