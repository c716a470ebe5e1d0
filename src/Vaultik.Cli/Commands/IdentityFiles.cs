using Vaultik.Core;
using Vaultik.Age;

namespace Vaultik.Cli.Commands;

/// <summary>Creates identity files: mode 0600 from the first byte, never replacing an existing file.</summary>
internal static class IdentityFiles
{
    public static void WriteNew(string path, X25519Identity identity)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full) || Directory.Exists(full))
        {
            throw new ConfigurationException($"cannot write identity {full}: the file already exists (refusing to overwrite a key)");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        using var stream = new FileStream(full, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        using var writer = new StreamWriter(stream);
        AgeKeyFile.Write(writer, identity, DateTimeOffset.UtcNow);
    }
}
