using System.ComponentModel;
using System.Diagnostics;

namespace Vaultik.Core.Streams;

/// <summary>
/// The standard output of a command, run without a shell from its argv (<c>[pg_dump, mydb]</c>; a shell
/// pipeline is <c>[/bin/sh, -c, "…"]</c>). The command inherits Vaultik's standard input, standard error and
/// environment. A non-zero exit (or death by a signal, 128 + its number) fails the snapshot; a run stopped
/// before the end kills the command and everything it started.
/// </summary>
public sealed class CommandSource : IStreamSource
{
    private readonly IReadOnlyList<string> _argv;

    public CommandSource(IReadOnlyList<string> argv)
    {
        if (argv.Count == 0 || argv[0].Length == 0)
        {
            throw new ConfigurationException("cannot run a command: the command is empty");
        }

        _argv = argv;
    }

    public IReadOnlyList<string> Argv => _argv;

    public string Description => $"command '{_argv[0]}'";

    public IOpenStream Open()
    {
        var info = new ProcessStartInfo(_argv[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardInput = false,
            RedirectStandardError = false,
        };
        foreach (var arg in _argv.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        try
        {
            return new Running(Process.Start(info) ?? throw new VaultikException($"cannot run {Description}: it did not start"), Description);
        }
        catch (Win32Exception ex)
        {
            throw new VaultikException($"cannot run {Description}: {ex.Message}", ex);
        }
    }

    private sealed class Running(Process process, string description) : IOpenStream
    {
        private bool _completed;

        public Stream Content { get; } = process.StandardOutput.BaseStream;

        public void Complete()
        {
            process.WaitForExit();
            _completed = true;
            if (process.ExitCode != 0)
            {
                throw new VaultikException($"cannot back up the output of {description}: it exited with code {process.ExitCode}");
            }
        }

        public void Dispose()
        {
            if (!_completed && !process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            Content.Dispose();
            process.Dispose();
        }
    }
}
