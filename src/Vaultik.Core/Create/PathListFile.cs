namespace Vaultik.Core.Create;

/// <summary>
/// Reads a <c>--files-from</c> / <c>files_from</c> list: one path per line; empty lines and lines starting with
/// <c>#</c> (after leading blanks) are ignored, a trailing CR is dropped; relative paths resolve against the
/// given directory.
/// </summary>
public static class PathListFile
{
    /// <param name="what">How the list is named in errors (<c>--files-from</c>, <c>snapshots.NAME.files_from</c>).</param>
    public static List<string> Read(string file, string baseDirectory, string what)
    {
        var paths = new List<string>();
        try
        {
            using var reader = new StreamReader(file);
            for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
            {
                var trimmed = line.TrimStart();
                if (trimmed.Length == 0 || trimmed[0] == '#')
                {
                    continue;
                }

                paths.Add(Path.GetFullPath(line, baseDirectory));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"cannot read {what} {file}: {ex.Message}", ex);
        }

        return paths;
    }
}
