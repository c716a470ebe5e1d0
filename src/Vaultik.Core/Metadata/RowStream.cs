namespace Vaultik.Core.Metadata;

/// <summary>
/// The row stream of a format 3 snapshot (docs/FORMAT.md, "Row stream"): the snapshot's entries and their
/// chunk lists as CSV (RFC 4180, UTF-8, lines ending in \n), one header line, then rows in walk order.
/// </summary>
public static class RowStream
{
    /// <summary>The header line's fields, in order.</summary>
    public static readonly string[] Columns =
    [
        "path", "type", "mode", "uid", "gid", "size", "mtime_ns", "link_target", "hardlink_to",
        "seq", "chunk_hash", "blob_hash", "frame_offset", "frame_length", "plain_length",
    ];

    /// <summary>The largest field a reader accepts, in bytes (as a v2 database's largest value).</summary>
    public const int MaxFieldBytes = MetadataConnection.MaxValueBytes;

    /// <summary>The largest row a reader accepts, in bytes, quotes and separators included.</summary>
    public const int MaxRowBytes = 2 * MaxFieldBytes + 4096;

    /// <summary>
    /// FastCDC sizes for cutting the stream: small next to data chunks, so a changed region costs ~32 KiB; measured
    /// against 16/64/256 KiB in docs/FORMAT.md (half the cost of a 1% change for a root twice as large).
    /// </summary>
    public static readonly Chunking.ChunkerOptions Chunker = new(8 << 10, 32 << 10, 128 << 10);

    public const int FormatVersion = 4;
}
