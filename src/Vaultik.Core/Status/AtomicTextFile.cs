using System.Text;

namespace Vaultik.Core.Status;

/// <summary>
/// Replaces a file so that a reader (node_exporter's textfile collector) sees the old content or the new, never a
/// part: writes <c>FILE.tmp-PID</c> in the same directory, fsyncs it, renames it over FILE and fsyncs the
/// directory. On failure the temporary file is removed and the old FILE is left as it was.
/// </summary>
public static class AtomicTextFile
{
    public static void Write(string path, string content)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? throw new ConfigurationException($"cannot write {path}: it has no directory");
        if (!Directory.Exists(directory))
        {
            throw new ConfigurationException($"cannot write {path}: directory {directory} does not exist");
        }

        var temp = $"{full}.tmp-{Environment.ProcessId}";
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                var bytes = new UTF8Encoding(false).GetBytes(content);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.Move(temp, full, overwrite: true);
            Platform.Posix.FsyncDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            throw new VaultikException($"cannot write {path}: {ex.Message}", ex);
        }
    }
}
