using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Restore;

/// <summary>
/// --overwrite without loss: new content for a name that already holds a file is written to a temporary
/// name beside it (created O_EXCL, mode 0600, beneath the parent's descriptor like every other file) and renamed
/// over the old file only once complete, so a failed blob leaves the old file as it was.
/// </summary>
internal sealed partial class TargetTree
{
    /// <summary>How restore's temporary files are named (a killed restore may leave one; --delete removes it).</summary>
    public const string StagingPrefix = ".vaultik-restore-";

    private const int StagingAttempts = 8;

    /// <summary>
    /// Creates the file that will hold <paramref name="relative"/>'s content with one openat
    /// (O_CREAT|O_EXCL|O_NOFOLLOW beneath the parent's held descriptor) and no stat before it: the exclusive create
    /// fails on anything at the name, a symlink too, so the returned descriptor is always a new inode of this
    /// restore. Only a taken name (EEXIST) is looked at: a directory is an error, anything else an error without
    /// --overwrite and, with it, left in place while the content goes to a new temporary file beside it for
    /// <see cref="Replace"/>. With <paramref name="remember"/> (and always for a temporary file) the inode is
    /// fstat-ed and remembered, for the later steps that find it by name again (a hard link, --verify, a reopen,
    /// the rename); otherwise nothing about it is asked at all. Returns the handle and the path written.
    /// </summary>
    public (SafeFileHandle Handle, string WrittenAs) CreateForContent(string relative, bool remember) => Locked(() =>
    {
        var parent = _handles.Directory(ParentOf(relative), create: true, relative)!;
        var writtenAs = relative;
        var handle = PosixAt.TryCreateFile(parent, LeafOf(relative), out var errno);
        if (handle is null)
        {
            if (errno != PosixAt.EEXIST || !Taken(parent, relative))
            {
                throw PosixAt.Error("create", relative, errno);
            }

            (handle, writtenAs) = CreateStaged(parent, relative);
            remember = true;
        }

        try
        {
            if (remember)
            {
                Remember(writtenAs, PosixFd.Stat(handle, writtenAs));
            }

            return (handle, writtenAs);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    });

    /// <summary>
    /// After an exclusive create or symlink failed with EEXIST: what has the name, by lstat (this is the only stat of
    /// the create path, and only for a taken name). A directory is refused always, anything else unless
    /// overwriting. False when the name went away meanwhile.
    /// </summary>
    private bool Taken(SafeFileHandle parent, string relative)
    {
        if (!PosixAt.TryStat(parent, LeafOf(relative), out var status, out var errno))
        {
            return errno == PosixAt.ENOENT ? false : throw PosixAt.Error("stat", relative, errno);
        }

        if (status.IsDirectory)
        {
            throw new IOException($"cannot restore {relative}: a directory is in the way");
        }

        return _overwrite ? true : throw new IOException($"cannot restore {relative}: it already exists (use --overwrite)");
    }

    /// <summary>A new temporary file beside <paramref name="relative"/> (O_EXCL, a random name; someone else's name: another draw).</summary>
    private (SafeFileHandle Handle, string WrittenAs) CreateStaged(SafeFileHandle parent, string relative)
    {
        for (var attempt = 1; ; attempt++)
        {
            var leaf = StagingPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            var staged = ParentOf(relative).Length == 0 ? leaf : $"{ParentOf(relative)}/{leaf}";
            if (PosixAt.TryCreateFile(parent, leaf, out var errno) is { } handle)
            {
                return (handle, staged);
            }

            if (errno != PosixAt.EEXIST || attempt >= StagingAttempts)
            {
                throw PosixAt.Error("create", staged, errno);
            }
        }
    }

    /// <summary>Renames the complete temporary file <paramref name="staged"/> (still the inode made) over <paramref name="relative"/>.</summary>
    public void Replace(string staged, string relative) => Locked(() =>
    {
        var parent = Parent(relative);
        var expected = Expected(staged);
        RequireByName(parent, staged, expected);
        if (PosixAt.TryStat(parent, LeafOf(relative), out var status, out _) && status.IsDirectory)
        {
            throw new IOException($"cannot restore {relative}: a directory is in the way");
        }

        PosixAt.Rename(parent, LeafOf(staged), LeafOf(relative), relative);
        _made.Remove(staged);
        _made[relative] = expected;
        return true;
    });
}
