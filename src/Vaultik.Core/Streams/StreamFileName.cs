using System.Text;

namespace Vaultik.Core.Streams;

/// <summary>
/// The name a stream is stored under: a relative snapshot path exactly as given (<c>mydb.sql</c>,
/// <c>dumps/mydb.sql</c>). It must pass the path rules every reader enforces (docs/FORMAT.md: relative, no
/// empty, '.' or '..' component, no NUL, at most 4096 bytes and 255 per name), checked here so that no
/// snapshot is written that a restorer would refuse.
/// </summary>
public static class StreamFileName
{
    public const string Default = "stdin";

    /// <summary>Returns <paramref name="name"/> or throws a <see cref="ConfigurationException"/> naming <paramref name="what"/>.</summary>
    public static string Check(string name, string what) =>
        Problem(name) is { } reason
            ? throw new ConfigurationException($"cannot use {what} '{name.Replace("\0", "\\0", StringComparison.Ordinal)}': {reason}")
            : name;

    private static string? Problem(string name)
    {
        if (name.Length == 0)
        {
            return "it is empty";
        }

        if (name[0] == '/')
        {
            return "it must be relative (no leading '/')";
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            return "it contains NUL";
        }

        if (Encoding.UTF8.GetByteCount(name) > 4096)
        {
            return "it is longer than 4096 bytes";
        }

        foreach (var part in name.Split('/'))
        {
            if (part.Length == 0 || part == "." || part == "..")
            {
                return part.Length == 0 ? "it has an empty component ('//' or a trailing '/')" : $"it has a '{part}' component";
            }

            if (Encoding.UTF8.GetByteCount(part) > 255)
            {
                return "it has a component longer than 255 bytes";
            }
        }

        return null;
    }
}
