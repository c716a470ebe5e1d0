using System.Diagnostics;

namespace Vaultik.Cli.Tests.Infrastructure;

/// <summary>Runs <c>vaultik … | PROGRAM ARGS…</c> for real: vaultik's stdout (a pipe) copied into the program's stdin as it comes.</summary>
public static class PipedRun
{
    public static async Task<(CliResult Vaultik, CliResult Consumer)> RunAsync(CliRunner cli, string[] args, string program, params string[] programArgs)
    {
        using var vaultik = cli.Start(args);
        var info = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in programArgs)
        {
            info.ArgumentList.Add(arg);
        }

        using var consumer = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var vaultikErr = vaultik.StandardError.ReadToEndAsync();
        var consumerOut = consumer.StandardOutput.ReadToEndAsync();
        var consumerErr = consumer.StandardError.ReadToEndAsync();
        await vaultik.StandardOutput.BaseStream.CopyToAsync(consumer.StandardInput.BaseStream);
        consumer.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await vaultik.WaitForExitAsync(cts.Token);
        await consumer.WaitForExitAsync(cts.Token);
        return (new CliResult(vaultik.ExitCode, string.Empty, await vaultikErr), new CliResult(consumer.ExitCode, await consumerOut, await consumerErr));
    }
}
