using System.Reflection;
using Vaultik.Core.Metadata;

namespace Vaultik.Cli;

/// <summary>
/// What `vaultik --version` prints: the version, the git commit embedded at build time (SourceLink puts it in the
/// informational version as "+sha"; "unknown" when built outside git) and the store formats written and read,
/// from the Core's constants.
/// </summary>
internal static class VersionInfo
{
    private static string Informational =>
        typeof(VersionInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>The version without the commit, e.g. "0.1.0".</summary>
    public static string Version => Informational.Split('+')[0];

    /// <summary>The short commit (7 hex digits), or "unknown".</summary>
    public static string Commit
    {
        get
        {
            var plus = Informational.IndexOf('+', StringComparison.Ordinal);
            var sha = plus < 0 ? string.Empty : Informational[(plus + 1)..];
            return sha.Length >= 7 && sha.All(Uri.IsHexDigit) ? sha[..7] : "unknown";
        }
    }

    /// <summary>"2" or "2-3".</summary>
    public static string ReadableFormats =>
        SnapshotManifest.OldestReadableFormatVersion == SnapshotManifest.CurrentFormatVersion
            ? $"{SnapshotManifest.CurrentFormatVersion}"
            : $"{SnapshotManifest.OldestReadableFormatVersion}-{SnapshotManifest.CurrentFormatVersion}";

    /// <summary>e.g. "vaultik 0.1.0 (commit d50eb50) store format 2 (reads 2)".</summary>
    public static string Line => $"vaultik {Version} (commit {Commit}) store format {SnapshotManifest.CurrentFormatVersion} (reads {ReadableFormats})";
}
