using System.Globalization;
using Vaultik.Core.Packing;

namespace Vaultik.Core.Metadata;

/// <summary>
/// SQL fragments that let <see cref="MetadataReader"/> judge hostile rows inside SQLite, before any value is
/// converted or used to size anything: one predicate for an unusable chunk row, one for a malformed files row.
/// </summary>
internal static class MetadataSql
{
    /// <summary>The columns of a files row, as <see cref="MetadataReader"/> reads them (see <see cref="MetadataReader"/>'s entry reader).</summary>
    public const string EntryColumns = """
        id, CASE WHEN typeof(path) = 'text' THEN path ELSE quote(path) END, type, mode, uid, gid, size, mtime_ns, link_target, hardlink_to,
        typeof(id) = 'integer' AND typeof(path) = 'text' AND typeof(type) = 'text' AND typeof(mode) = 'integer'
            AND typeof(uid) = 'integer' AND typeof(gid) = 'integer' AND typeof(size) = 'integer' AND typeof(mtime_ns) = 'integer'
            AND typeof(link_target) IN ('text', 'null') AND typeof(hardlink_to) IN ('text', 'null')
        """;

    /// <summary>
    /// True for a chunk row <paramref name="c"/> (with its blob row <paramref name="b"/>, both LEFT JOINed) that is
    /// missing, names no blob row, has a hash that does not parse, or whose frame does not lie inside the blob's
    /// stored size or breaks the chunk limits of <see cref="ChunkLimits"/>. Arithmetic cannot overflow.
    /// </summary>
    public static string BadChunk(string c, string b) => string.Create(CultureInfo.InvariantCulture, $"""
        ({c}.id IS NULL OR {b}.hash IS NULL
         OR typeof({c}.frame_offset) != 'integer' OR typeof({c}.frame_length) != 'integer'
         OR typeof({c}.plain_length) != 'integer' OR typeof({b}.size) != 'integer'
         OR {c}.plain_length < 0 OR {c}.plain_length > {ChunkLimits.MaxPlainLength}
         OR {c}.frame_length <= 0 OR {c}.frame_length > {ChunkLimits.MaxFrameLength}
         OR {b}.size < 0 OR {c}.frame_offset < 0 OR {c}.frame_offset > {b}.size - {c}.frame_length
         OR {Unparsable($"{b}.hash")} OR {Unparsable($"{c}.hash")})
        """);

    /// <summary>True when <paramref name="column"/> is not 64 lowercase hex digits (what <see cref="Hash256.TryParse"/> accepts).</summary>
    private static string Unparsable(string column) => $"(typeof({column}) != 'text' OR length({column}) != 64 OR {column} GLOB '*[^0-9a-f]*')";
}
