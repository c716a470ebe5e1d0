namespace Vaultik.Core.Platform;

/// <summary>
/// Creates directories 0700 and files 0600 from the start (the mode is given to mkdir/open, never set by a
/// chmod afterwards), for everything only this user may read: decrypted metadata, the index, staged blobs.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> and any missing parents at 0700 (existing ones are left as they are).</summary>
    public static void CreateDirectory(string path)
    {
        // Directory.CreateDirectory(path, mode) gives the mode to the last directory only: create each missing one.
        var missing = new Stack<string>();
        for (var dir = Path.GetFullPath(path); !Directory.Exists(dir); dir = Path.GetDirectoryName(dir)!)
        {
            missing.Push(dir);
        }

        while (missing.TryPop(out var dir))
        {
            Directory.CreateDirectory(dir, DirectoryMode);
        }
    }

    /// <summary>Opens <paramref name="path"/> like <see cref="FileStream"/> would; a file it creates is 0600.</summary>
    public static FileStream Open(string path, System.IO.FileMode mode, FileAccess access, FileOptions options = FileOptions.None) =>
        new(path, new FileStreamOptions
        {
            Mode = mode,
            Access = access,
            Share = FileShare.None,
            BufferSize = 1 << 16,
            Options = options,
            UnixCreateMode = mode is System.IO.FileMode.Open or System.IO.FileMode.Truncate ? null : FileMode,
        });

    /// <summary>
    /// Makes sure <paramref name="path"/> exists, creating it empty at 0600: SQLite then opens it (an empty file
    /// is an empty database) and gives its -wal, -shm and journal files the same mode.
    /// </summary>
    public static void EnsureFile(string path)
    {
        using var _ = Open(path, System.IO.FileMode.OpenOrCreate, FileAccess.Write);
    }
}
