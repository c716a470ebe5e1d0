namespace Vaultik.Core.Metadata;

/// <summary>
/// Snapshot tags (docs/FORMAT.md, "Manifest"): each 1–64 characters of <c>[A-Za-z0-9._:-]</c>, stored sorted and
/// unique in the manifest, so they can be read and matched without a key.
/// </summary>
public static class SnapshotTags
{
    public const int MaxLength = 64;

    public static bool IsValid(string? tag) =>
        tag is { Length: > 0 and <= MaxLength } && tag.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-');

    /// <summary>
    /// <paramref name="tags"/> sorted (ordinal) and without duplicates; a tag that is not valid is a
    /// <see cref="ConfigurationException"/> naming <paramref name="source"/> (e.g. <c>--tag</c>).
    /// </summary>
    public static IReadOnlyList<string> Normalize(IEnumerable<string> tags, string source)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            if (!IsValid(tag))
            {
                throw new ConfigurationException($"cannot use {source} '{tag}': a tag is 1-{MaxLength} letters, digits, '.', '_', ':' or '-'");
            }

            set.Add(tag);
        }

        return [.. set];
    }

    /// <summary>Whether <paramref name="tags"/> carries every one of <paramref name="required"/> (always, when none are required).</summary>
    public static bool HasAll(IReadOnlyList<string> tags, IReadOnlyCollection<string> required) =>
        required.All(r => tags.Contains(r, StringComparer.Ordinal));

    /// <summary>Whether <paramref name="tags"/> carries any of <paramref name="wanted"/>.</summary>
    public static bool HasAny(IReadOnlyList<string> tags, IReadOnlyCollection<string> wanted) =>
        wanted.Any(w => tags.Contains(w, StringComparer.Ordinal));
}
