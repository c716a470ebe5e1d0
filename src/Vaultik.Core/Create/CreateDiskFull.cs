using Microsoft.Data.Sqlite;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Create;

/// <summary>
/// Turns a full file system met by <c>snapshot create</c> (ENOSPC or EDQUOT from a write, SQLITE_FULL from the
/// index or the staged metadata database, or a SQLite disk I/O error while a place has no space left) into one
/// line naming the place: the staging directory or the index, or both where they share a file system.
/// </summary>
internal static class CreateDiskFull
{
    private const int SqliteFull = 13, SqliteIoError = 10;

    /// <summary>Below this many free bytes a SQLite disk I/O error is taken as a full disk.</summary>
    private const long NearlyFull = 1024 * 1024;

    /// <summary>The one-line error for <paramref name="error"/>, or null when it is not a full disk.</summary>
    public static VaultikException? Explain(Exception error, string indexPath, string stagingDirectory)
    {
        // Vaultik's own errors are already one line, except the index's open error, which wraps SQLite's cause.
        if ((error is VaultikException && error.InnerException is not SqliteException) || !IsFull(error, indexPath, stagingDirectory))
        {
            return null;
        }

        var index = Path.GetFullPath(indexPath);
        var staging = Path.GetFullPath(stagingDirectory);
        var indexFolder = Path.GetDirectoryName(index)!;
        string place;
        if (SameFileSystem(indexFolder, staging))
        {
            place = Named(error, staging) && !Named(error, index)
                ? $"cannot stage the snapshot in {staging}: {DiskFull.Reason} (the file system of the staging directory and the index is full)"
                : $"cannot write to {indexFolder}: {DiskFull.Reason} (the file system of the index and the staging directory is full)";
        }
        else if (Named(error, staging) || (!Named(error, index) && Free(staging) <= Free(indexFolder)))
        {
            place = $"cannot stage the snapshot in {staging}: {DiskFull.Reason} (the staging directory, beside the index, is full)";
        }
        else
        {
            place = $"cannot update the index {index}: {DiskFull.Reason} (the index's file system is full)";
        }

        return new VaultikException($"{place}; free space there and run again", error);
    }

    private static bool IsFull(Exception error, string indexPath, string stagingDirectory)
    {
        if (DiskFull.Is(error))
        {
            return true;
        }

        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: SqliteFull })
            {
                return true;
            }

            if (e is SqliteException { SqliteErrorCode: SqliteIoError }
                && Math.Min(Free(Path.GetDirectoryName(Path.GetFullPath(indexPath))!), Free(stagingDirectory)) < NearlyFull)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the error's message names a path inside <paramref name="place"/> (an I/O error names its file).</summary>
    private static bool Named(Exception error, string place)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is IOException && e.Message.Contains(place, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool SameFileSystem(string a, string b) =>
        Posix.TryLstat(a, out var first, out _) && Posix.TryLstat(b, out var second, out _) && first.Device == second.Device;

    private static long Free(string directory)
    {
        try
        {
            return Directory.Exists(directory) ? new DriveInfo(directory).AvailableFreeSpace : long.MaxValue;
        }
        catch (IOException)
        {
            return long.MaxValue;
        }
    }
}
