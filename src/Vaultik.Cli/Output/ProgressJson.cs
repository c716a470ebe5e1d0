using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Vaultik.Core;

namespace Vaultik.Cli.Output;

/// <summary>
/// <c>--progress-json</c>: progress for programs, beside <see cref="ProgressLine"/> for people. Once a second, and
/// once more at the end, one <see cref="ProgressJsonLine"/> as a single line of JSON on stderr; the verb's summary
/// stays the one JSON document on stdout. Needs <c>--json</c> (without it: a usage error, exit 2).
/// </summary>
internal sealed class ProgressJson : IAsyncDisposable
{
    /// <summary>The flag, shared by the verbs that stream progress.</summary>
    public static readonly Option<bool> Option = new("--progress-json")
    {
        Description = "With --json: also print progress on stderr, one JSON object per line, every second and at the end",
    };

    private readonly TextWriter _stderr;
    private readonly Func<ProgressSample> _sample;
    private readonly string _command;
    private readonly string _snapshot;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private ProgressJson(TextWriter stderr, string command, string snapshot, Func<ProgressSample> sample)
    {
        _stderr = stderr;
        _command = command;
        _snapshot = snapshot;
        _sample = sample;
        _loop = LoopAsync();
    }

    /// <summary>Whether this invocation asked for progress lines; refuses <c>--progress-json</c> without <c>--json</c>.</summary>
    public static bool Requested(CliContext ctx)
    {
        if (!ctx.Parse.GetValue(Option))
        {
            return false;
        }

        return ctx.Json ? true : throw new ConfigurationException("cannot use --progress-json without --json: the progress lines go beside the --json summary");
    }

    /// <summary>Starts the lines when <paramref name="enabled"/>, else returns null.</summary>
    public static ProgressJson? Start(bool enabled, TextWriter stderr, string command, string snapshot, Func<ProgressSample> sample) =>
        enabled ? new ProgressJson(stderr, command, snapshot, sample) : null;

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                Write(final: false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            Write(final: true);
        }
    }

    private void Write(bool final)
    {
        var s = _sample();
        var elapsed = _clock.Elapsed.TotalSeconds;
        var total = Math.Max(s.BytesTotal, s.BytesDone);
        double? eta = final ? 0
            : !s.TotalsFinal || s.BytesDone == 0 ? null
            : Math.Round(elapsed * (total - s.BytesDone) / s.BytesDone, 1);
        var line = new ProgressJsonLine(
            "progress", _command, _snapshot, s.Phase, final, Math.Round(elapsed, 3), eta,
            s.BytesDone, total, s.FilesDone, Math.Max(s.FilesTotal, s.FilesDone), s.TotalsFinal || final, s.BytesTransferred);
        var text = JsonSerializer.Serialize(line, ProgressJsonContext.Default.ProgressJsonLine);
        lock (_stderr)
        {
            _stderr.WriteLine(text);
            _stderr.Flush();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
