using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Vaultik.Core.Hooks;

/// <summary>
/// Runs hook commands, one at a time, each as <c>/bin/sh -c COMMAND</c> with stdin closed, Vaultik's environment
/// plus the given variables (never <c>VAULTIK_AGE_SECRET_KEY</c>), and every line it prints on stdout or stderr
/// passed to the output as <c>hook KIND: LINE</c>. A hook still running after the timeout, or when the run is
/// cancelled, is killed together with every process it started that is still running under it, and counts as
/// failed.
/// </summary>
public sealed class HookRunner
{
    /// <summary>How long a killed hook's output may take to close before it is given up.</summary>
    private static readonly TimeSpan DrainAfterKill = TimeSpan.FromSeconds(5);

    private readonly TimeSpan _timeout;
    private readonly Action<string> _output;

    public HookRunner(TimeSpan timeout, Action<string> output)
    {
        _timeout = timeout;
        _output = output;
    }

    /// <summary>
    /// Runs <paramref name="commands"/> in order and stops at the first that fails: its one-line error
    /// ("cannot run before hook 'CMD': exit code 3"), or null when all succeeded.
    /// </summary>
    public async Task<string?> RunAllAsync(HookKind kind, IReadOnlyList<string> commands, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        foreach (var command in commands)
        {
            if (await RunAsync(kind, command, environment, cancellationToken).ConfigureAwait(false) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private async Task<string?> RunAsync(HookKind kind, string command, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var key = SnapshotHooks.KeyOf(kind);
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        start.Environment.Remove("VAULTIK_AGE_SECRET_KEY");
        start.Environment["VAULTIK_HOOK"] = key;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Print(key, e.Data);
        process.ErrorDataReceived += (_, e) => Print(key, e.Data);
        var what = $"cannot run {key} hook '{OneLine(command)}'";
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            return $"{what}: {ex.Message}";
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            var exited = process.HasExited;
            process.Kill(entireProcessTree: true);
            using var drain = new CancellationTokenSource(DrainAfterKill);
            try
            {
                await process.WaitForExitAsync(drain.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _output($"hook {key}: its output is still held open by a process it left running; no longer read");
            }

            var after = string.Create(CultureInfo.InvariantCulture, $"{_timeout.TotalSeconds:0.###}s");
            return cancellationToken.IsCancellationRequested
                ? $"{what}: killed, the run was interrupted"
                : exited
                    ? $"{what}: it exited, but a process it left running still held its output open after {after} (hook_timeout); killed"
                    : $"{what}: killed after {after} (hook_timeout)";
        }

        return process.ExitCode == 0 ? null : string.Create(CultureInfo.InvariantCulture, $"{what}: exit code {process.ExitCode}");
    }

    private void Print(string key, string? line)
    {
        if (line is not null)
        {
            _output($"hook {key}: {line}");
        }
    }

    private static string OneLine(string command)
    {
        var line = command.ReplaceLineEndings(" ").Trim();
        return line.Length <= 80 ? line : line[..77] + "...";
    }
}
