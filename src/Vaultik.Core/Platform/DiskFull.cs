namespace Vaultik.Core.Platform;

/// <summary>
/// Recognises a full file system (ENOSPC, or EDQUOT: the user's quota) in an I/O error, so a run can stop
/// with one line naming the place that is full instead of failing entry after entry.
/// </summary>
public static class DiskFull
{
    private const int ENOSPC = 28, EDQUOT = 122;

    /// <summary>What every disk-full error says, whichever place is full.</summary>
    public const string Reason = "no space left on device";

    /// <summary>Whether <paramref name="error"/> or an exception inside it is a disk-full I/O error.</summary>
    public static bool Is(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is IOException { HResult: ENOSPC or EDQUOT })
            {
                return true;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(Is))
            {
                return true;
            }
        }

        return false;
    }
}
