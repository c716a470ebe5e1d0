using System.Globalization;
using Vaultik.Core.Hooks;

namespace Vaultik.Core.Create;

/// <summary>The variables a snapshot's hooks get (README "Hooks" documents each).</summary>
internal static class HookEnvironment
{
    public static Dictionary<string, string> For(CreateOptions job, CreateStats stats, int? exitCode, string? error)
    {
        static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["VAULTIK_SNAPSHOT_NAME"] = job.Name,
            ["VAULTIK_HOSTNAME"] = job.Hostname,
            ["VAULTIK_SNAPSHOT_ID"] = stats.SnapshotId ?? string.Empty,
            ["VAULTIK_EXIT_CODE"] = exitCode is { } code ? code.ToString(CultureInfo.InvariantCulture) : string.Empty,
            ["VAULTIK_ERROR"] = error?.ReplaceLineEndings(" ") ?? string.Empty,
            ["VAULTIK_FILES_SCANNED"] = N(stats.FilesScanned),
            ["VAULTIK_FILES_NEW"] = N(stats.FilesNew),
            ["VAULTIK_FILES_CHANGED"] = N(stats.FilesChanged),
            ["VAULTIK_FILES_UNCHANGED"] = N(stats.FilesUnchanged),
            ["VAULTIK_FILES_SKIPPED"] = N(stats.FilesSkipped),
            ["VAULTIK_BYTES_READ"] = N(stats.BytesRead),
            ["VAULTIK_BYTES_ADDED"] = N(stats.BytesNew),
            ["VAULTIK_BYTES_UPLOADED"] = N(stats.BytesUploaded),
            ["VAULTIK_BLOBS_UPLOADED"] = N(stats.BlobsUploaded),
            ["VAULTIK_DURATION_SECONDS"] = stats.Duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
        };
        return env;
    }

    /// <summary>Runs <paramref name="kind"/>'s hooks of <paramref name="job"/>; the first failure's line, or null.</summary>
    /// <param name="exitCode">Asked only when there are hooks to run.</param>
    public static Task<string?> RunAsync(HookRunner runner, HookKind kind, CreateOptions job, CreateStats stats, Func<int?> exitCode, string? error, CancellationToken cancellationToken) =>
        job.Hooks.For(kind).Count == 0
            ? Task.FromResult<string?>(null)
            : runner.RunAllAsync(kind, job.Hooks.For(kind), For(job, stats, exitCode(), error), cancellationToken);
}
