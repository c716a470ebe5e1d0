using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Vaultik.Core.Locking;

/// <summary>
/// A lock file beside the index (<c>&lt;index&gt;.lock</c>, an exclusive advisory lock held through an open file)
/// so two <c>snapshot create</c> runs on one index never overlap. The kernel drops it if the holder dies.
/// </summary>
public sealed class LocalRunLock : IDisposable
{
    private readonly FileStream _file;

    private LocalRunLock(FileStream file) => _file = file;

    /// <summary>
    /// Takes the lock, waiting up to <paramref name="wait"/>; throws <see cref="LockHeldException"/> after that.
    /// When it has to wait, <paramref name="waiting"/> is told once, naming the holder.
    /// </summary>
    public static async Task<LocalRunLock> AcquireAsync(string indexPath, TimeSpan wait, CancellationToken cancellationToken, Action<string>? waiting = null)
    {
        var told = false;
        var path = indexPath + ".lock";
        // The index directory is created 0700 and the lock file 0600, like the index beside it.
        Platform.PrivateFiles.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var file = Platform.PrivateFiles.Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite);
                file.SetLength(0);
                file.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}\n")));
                file.Flush();
                return new LocalRunLock(file);
            }
            catch (IOException) when (clock.Elapsed < wait)
            {
                if (!told)
                {
                    told = true;
                    waiting?.Invoke(string.Create(CultureInfo.InvariantCulture, $"waiting up to {wait.TotalSeconds:0}s for another vaultik run (pid {Holder(path)}) to finish with the index {indexPath}"));
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                throw new LockHeldException($"cannot start: another vaultik run (pid {Holder(path)}) is using the index {indexPath} (use --wait-lock DURATION to wait)");
            }
        }
    }

    /// <summary>The pid the holder wrote, read without taking the file's lock.</summary>
    private static string Holder(string path) =>
        Platform.Posix.ReadWithoutLocking(path, 32)?.Trim() is { Length: > 0 } pid ? pid : "unknown";

    public void Dispose() => _file.Dispose();
}
