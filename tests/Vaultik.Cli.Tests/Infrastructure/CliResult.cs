namespace Vaultik.Cli.Tests.Infrastructure;

/// <summary>What one run of the real vaultik CLI produced.</summary>
public sealed record CliResult(int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
}
