namespace Vaultik.Core.Restore;

/// <summary>
/// The errors of one restore: each is kept for the result and passed on at once to the caller's callback.
/// Thread-safe. <see cref="Attempt"/> turns a file-system failure on one entry into such an error. Warnings (an
/// extended attribute the target refuses) are kept and passed on the same way; they leave the restore successful.
/// </summary>
internal sealed class RestoreErrors
{
    private readonly List<string> _errors = [];
    private readonly List<string> _warnings = [];
    private readonly Action<string> _onError;
    private readonly Action<string> _onWarning;

    public RestoreErrors(Action<string> onError, Action<string>? onWarning = null)
    {
        _onError = onError;
        _onWarning = onWarning ?? (_ => { });
    }

    public IReadOnlyList<string> ToList()
    {
        lock (_errors)
        {
            return _errors.ToList();
        }
    }

    public IReadOnlyList<string> Warnings()
    {
        lock (_warnings)
        {
            return _warnings.ToList();
        }
    }

    public void Warn(string message)
    {
        lock (_warnings)
        {
            _warnings.Add(message);
        }

        _onWarning(message);
    }

    public void Add(string message)
    {
        lock (_errors)
        {
            _errors.Add(message);
        }

        _onError(message);
    }

    /// <summary>Runs <paramref name="action"/> for <paramref name="entryPath"/>; an I/O failure becomes an error and false (a full disk stops the restore: it is thrown).</summary>
    public bool Attempt(string entryPath, Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (Exception ex) when ((ex is IOException or UnauthorizedAccessException) && !Platform.DiskFull.Is(ex))
        {
            Add(ex.Message.StartsWith("cannot ", StringComparison.Ordinal) ? ex.Message : $"cannot restore {entryPath}: {ex.Message}");
            return false;
        }
    }
}
