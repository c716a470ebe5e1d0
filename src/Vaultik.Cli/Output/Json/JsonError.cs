namespace Vaultik.Cli.Output;

/// <summary>The error object printed on stderr in --json mode.</summary>
internal sealed record JsonError(string Error, int ExitCode);
