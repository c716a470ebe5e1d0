namespace Vaultik.Cli.Output;

/// <summary>
/// stderr for humans and cron: warnings and errors one line each, prefixed "vaultik:". In cron mode
/// everything is held back and printed only if the run fails (as a short summary). With colour (a terminal,
/// no --no-color, NO_COLOR unset) "error:" is red and "warning:" yellow. Every line is escaped for the terminal
/// (<see cref="TerminalText"/>): messages embed names from the store and the file system.
/// </summary>
internal sealed class ErrorWriter
{
    private const int CronSummaryLines = 10;
    private readonly TextWriter _stderr;
    private readonly bool _cron;
    private readonly bool _color;
    private readonly List<string> _held = [];
    private int _warnings;

    public ErrorWriter(TextWriter stderr, bool cron, bool color = false)
    {
        _stderr = stderr;
        _cron = cron;
        _color = color && !cron;
    }

    public int WarningCount => _warnings;

    public TextWriter Raw => _stderr;

    public void Info(string line) => Write(TerminalText.Escape(line));

    public void Warning(string line)
    {
        Interlocked.Increment(ref _warnings);
        Write($"{Paint("warning:", "33")} {TerminalText.Escape(line)}");
    }

    public void Error(string line) => Write($"{Paint("error:", "1;31")} {TerminalText.Escape(line)}");

    /// <summary>Wraps <paramref name="text"/> in an SGR colour when colour is on.</summary>
    private string Paint(string text, string sgr) => _color ? $"\u001b[{sgr}m{text}\u001b[0m" : text;

    /// <summary>In cron mode, after a failure: the first few held lines and a count of the rest.</summary>
    public void FlushCronSummary(int exitCode)
    {
        if (!_cron || exitCode == 0)
        {
            return;
        }

        lock (_held)
        {
            _stderr.WriteLine($"vaultik: failed with exit code {exitCode} ({_warnings} warnings)");
            foreach (var line in _held.Take(CronSummaryLines))
            {
                _stderr.WriteLine($"vaultik: {line}");
            }

            if (_held.Count > CronSummaryLines)
            {
                _stderr.WriteLine($"vaultik: … and {_held.Count - CronSummaryLines} more");
            }
        }
    }

    private void Write(string line)
    {
        if (_cron)
        {
            lock (_held)
            {
                _held.Add(line);
            }

            return;
        }

        lock (_stderr)
        {
            _stderr.WriteLine($"vaultik: {line}");
        }
    }
}
