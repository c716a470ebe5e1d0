namespace Vaultik.Cli.Output;

/// <summary>
/// A live status line on a terminal's stderr, redrawn a few times a second from a snapshot function and
/// erased at the end. Never used when stderr is not a TTY or in --json, --cron or --quiet mode.
/// </summary>
internal sealed class ProgressLine : IAsyncDisposable
{
    private readonly TextWriter _stderr;
    private readonly Func<string> _render;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private ProgressLine(TextWriter stderr, Func<string> render)
    {
        _stderr = stderr;
        _render = render;
        _loop = LoopAsync();
    }

    /// <summary>Starts a progress line when <paramref name="enabled"/>, else returns null.</summary>
    public static ProgressLine? Start(bool enabled, TextWriter stderr, Func<string> render) =>
        enabled ? new ProgressLine(stderr, render) : null;

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                Draw(_render());
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            Draw(string.Empty);
        }
    }

    private void Draw(string text)
    {
        var width = Math.Max(20, Console.WindowWidth - 1);
        var line = text.Length > width ? text[..width] : text;
        lock (_stderr)
        {
            _stderr.Write("\r\u001b[2K" + line);
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
