using Vaultik.Core.Restore;

namespace Vaultik.Core.Streams;

/// <summary>
/// The name a stream is stored under: a relative snapshot path exactly as given (<c>mydb.sql</c>,
/// <c>dumps/mydb.sql</c>), passing the path rules every reader enforces (docs/FORMAT.md).
/// </summary>
public static class StreamFileName
{
    public const string Default = "stdin";

    /// <summary>Returns <paramref name="name"/> or throws a <see cref="ConfigurationException"/> naming <paramref name="what"/>.</summary>
    public static string Check(string name, string what)
    {
        var reason = name.Length > 0 && name[0] == '/' ? "it must be relative (no leading '/')"
            : name.EndsWith('/') ? "it must name a file (no trailing '/')"
            : PathRules.Check(name) is { } problem ? problem switch
            {
                "empty path" => "it is empty",
                _ => $"it has an invalid component ({problem})",
            }
            : null;
        return reason is null ? name : throw new ConfigurationException($"cannot use {what} '{name.Replace("\0", "\\0", StringComparison.Ordinal)}': {reason}");
    }
}
