using System.Diagnostics;

namespace Vaultik.Cli.Tests.Infrastructure;

/// <summary>
/// Runs the real <c>vaultik</c> program (the built Vaultik.Cli assembly, in its own process) with an isolated
/// HOME and XDG directories, so tests never touch the developer's config, keys or store.
/// </summary>
public sealed class CliRunner
{
    private static readonly string CliAssembly = Path.Combine(AppContext.BaseDirectory, "vaultik.dll");

    public CliRunner(string home)
    {
        Home = home;
        Directory.CreateDirectory(home);
        Environment = new Dictionary<string, string?>
        {
            ["HOME"] = home,
            ["XDG_CONFIG_HOME"] = Path.Combine(home, ".config"),
            ["XDG_DATA_HOME"] = Path.Combine(home, ".local", "share"),
            ["XDG_CACHE_HOME"] = Path.Combine(home, ".cache"),
            ["XDG_RUNTIME_DIR"] = null,
            ["VAULTIK_CONFIG"] = null,
            ["VAULTIK_INDEX_PATH"] = null,
            ["VAULTIK_AGE_SECRET_KEY"] = null,
            ["NO_COLOR"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
    }

    public string Home { get; }

    /// <summary>Extra environment for every run; a null value removes the variable.</summary>
    public Dictionary<string, string?> Environment { get; }

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(args, TimeSpan.FromMinutes(5));

    public async Task<CliResult> RunAsync(string[] args, TimeSpan timeout, Action<Process>? started = null)
    {
        using var process = Start(args);
        started?.Invoke(process);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"vaultik {string.Join(' ', args)} did not finish within {timeout}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// Runs vaultik with <paramref name="writeStdin"/> writing its standard input (closed when the writer
    /// returns; a writer that fails because vaultik closed the pipe early is not an error of the run).
    /// </summary>
    public async Task<CliResult> RunWithInputAsync(string[] args, Func<Stream, Task> writeStdin)
    {
        using var process = Process.Start(StartInfo(args, [])) ?? throw new InvalidOperationException("could not start vaultik");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var input = Task.Run(async () =>
        {
            try
            {
                await writeStdin(process.StandardInput.BaseStream);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // vaultik stopped reading (it failed, or the test expects it to): its exit code tells.
            }
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(cts.Token);
        await input;
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs vaultik under GNU time (<c>/usr/bin/time -f %M</c>): the result and the process's peak resident set size in bytes.</summary>
    public async Task<(CliResult Result, long PeakRssBytes)> RunMeasuredAsync(params string[] args)
    {
        var report = Path.Combine(Home, $"time-{Guid.NewGuid():N}.txt");
        using var process = Process.Start(StartInfo(args, ["/usr/bin/time", "-f", "%M", "-o", report])) ?? throw new InvalidOperationException("could not start vaultik");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var kib = long.Parse(File.ReadAllLines(report).Last(l => l.Length > 0).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        File.Delete(report);
        return (new CliResult(process.ExitCode, await stdout, await stderr), kib * 1024);
    }

    /// <summary>
    /// Runs vaultik on a pseudo-terminal (util-linux <c>script</c>), as a user at a shell would; stdout and
    /// stderr both arrive in <see cref="CliResult.StdOut"/>.
    /// </summary>
    public async Task<CliResult> RunInTerminalAsync(params string[] args)
    {
        static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
        var command = string.Join(' ', new[] { "dotnet", CliAssembly }.Concat(args).Select(Quote));
        var info = new ProcessStartInfo("script")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Home,
        };
        foreach (var arg in new[] { "--quiet", "--return", "--command", command, "/dev/null" })
        {
            info.ArgumentList.Add(arg);
        }

        ApplyEnvironment(info);

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start script");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts vaultik without waiting (for signal and kill tests).</summary>
    public Process Start(params string[] args)
    {
        var process = Process.Start(StartInfo(args, [])) ?? throw new InvalidOperationException("could not start vaultik");
        process.StandardInput.Close();
        return process;
    }

    /// <summary>
    /// Runs vaultik under a shell that, once it has reaped vaultik, prints its own <c>/proc/self/io</c>: a reaped
    /// child's I/O is added to its parent's, so <c>rchar</c> is every byte vaultik (and its runtime) read through
    /// read/pread: an independent upper bound on what it read from a local store (assemblies are mapped, not read).
    /// </summary>
    public async Task<(CliResult Result, long BytesRead)> RunCountingReadsAsync(params string[] args)
    {
        var report = Path.Combine(Home, $"io-{Guid.NewGuid():N}.txt");
        using var process = Process.Start(StartInfo(args, ["/bin/sh", "-c", $"\"$0\" \"$@\"; s=$?; cat /proc/$$/io > '{report}'; exit $s"])) ?? throw new InvalidOperationException("could not start vaultik");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var rchar = File.ReadAllLines(report).Single(l => l.StartsWith("rchar:", StringComparison.Ordinal))["rchar:".Length..].Trim();
        File.Delete(report);
        return (new CliResult(process.ExitCode, await stdout, await stderr), long.Parse(rchar, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary><c>[prefix…] dotnet vaultik.dll args…</c> with every stream redirected and the test environment.</summary>
    private ProcessStartInfo StartInfo(string[] args, string[] prefix)
    {
        if (!File.Exists(CliAssembly))
        {
            throw new FileNotFoundException("the CLI assembly was not built beside the tests", CliAssembly);
        }

        string[] argv = [.. prefix, "dotnet", CliAssembly, .. args];
        var info = new ProcessStartInfo(argv[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Home,
        };
        foreach (var arg in argv.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        ApplyEnvironment(info);
        return info;
    }

    private void ApplyEnvironment(ProcessStartInfo info)
    {
        foreach (var (key, value) in Environment)
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }
    }
}
