using System.Globalization;

namespace Vaultik.Core.Source;

/// <summary>
/// The exclude rules beyond glob patterns (restic's): <see cref="Caches"/> leaves out the contents of a directory
/// holding a valid CACHEDIR.TAG, <see cref="IfPresent"/> those of a directory holding an entry of one of these
/// names (the marker itself is kept in both cases), and <see cref="LargerThan"/> regular files above that
/// many bytes (0: no limit).
/// </summary>
public sealed record ExcludeRules(bool Caches, IReadOnlyList<string> IfPresent, long LargerThan)
{
    public static readonly ExcludeRules None = new(false, [], 0);

    /// <summary>The tag file of the Cache Directory Tagging Specification.</summary>
    public const string CacheTagName = "CACHEDIR.TAG";

    /// <summary>What a CACHEDIR.TAG must begin with to count.</summary>
    public const string CacheTagSignature = "Signature: 8a477f597d28d172789f06886806bc55";

    public bool IsEmpty => !Caches && IfPresent.Count == 0 && LargerThan == 0;

    /// <summary>The rules as text, for the walk signature (a recorded walk is reused only under the same rules).</summary>
    public IEnumerable<string> Signature()
    {
        if (IsEmpty)
        {
            yield break;
        }

        yield return "--exclude-caches=" + (Caches ? "true" : "false");
        foreach (var name in IfPresent)
        {
            yield return "--exclude-if-present=" + name;
        }

        yield return "--exclude-larger-than=" + LargerThan.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A marker name is one directory entry's name: not empty, no '/', not '.' or '..'.</summary>
    public static bool IsValidMarkerName(string name) => name.Length > 0 && !name.Contains('/', StringComparison.Ordinal) && name is not ("." or "..");
}
