namespace Vaultik.Cli.Output;

/// <summary>One element of <c>ls --json</c> (README "JSON output").</summary>
internal sealed record LsEntryJson(string Path, string Type, int Mode, long Uid, long Gid, long Size, string Mtime, string? LinkTarget);
