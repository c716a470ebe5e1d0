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
    /// Creates the file that will hold <paramref name="relative"/>'s content: <paramref name="relative"/> itself
    /// when nothing is there, else (overwriting) a new temporary file beside it for <see cref="Replace"/>. Returns
    /// the handle and the path written.
    /// </summary>
    public (SafeFileHandle Handle, string WrittenAs) CreateFileStaged(string relative) => Locked(() =>
    {
        var parent = _handles.Directory(ParentOf(relative), create: true, relative)!;
        if (!_overwrite || !PosixAt.TryStat(parent, LeafOf(relative), out var status, out _))
        {
            return (CreateFile(relative), relative);
        }

        if (status.IsDirectory)
        {
            throw new IOException($"cannot restore {relative}: a directory is in the way");
        }

        for (var attempt = 1; ; attempt++)
        {
            var leaf = StagingPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            var staged = ParentOf(relative).Length == 0 ? leaf : $"{ParentOf(relative)}/{leaf}";
            try
            {
                return (CreateFile(staged), staged);
            }
            catch (IOException ex) when (ex.HResult == PosixAt.EEXIST && attempt < StagingAttempts)
            {
                // Someone else's name: draw another.
                continue;
            }
        }
    });

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
