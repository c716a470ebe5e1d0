using System.Text.Json;
using Vaultik.Core.Storage;
using ZstdSharp;
using Vaultik.Core.Layout;

namespace Vaultik.Core.Metadata;

/// <summary>Reads and writes <c>manifest.json.zst</c>: zstd-compressed JSON with a content checksum, never encrypted.</summary>
public static class ManifestCodec
{
    /// <summary>Manifests larger than this (compressed or not) are refused as hostile.</summary>
    public const int MaxManifestBytes = 256 << 20;

    public static byte[] Encode(SnapshotManifest manifest)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJsonContext.Default.SnapshotManifest);
        using var compressor = new Compressor(3);
        // A content checksum, so a damaged manifest is always caught (an unchecked frame can decode to other valid JSON).
        compressor.SetParameter(ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
        return compressor.Wrap(json).ToArray();
    }

    /// <param name="requireMatchingId">
    /// False only for the catalog, which reports a manifest whose id is not its directory's as suspect instead of failing.
    /// </param>
    public static SnapshotManifest Decode(ReadOnlySpan<byte> stored, string key, bool requireMatchingId = true)
    {
        byte[] json;
        try
        {
            var size = Decompressor.GetDecompressedSize(stored);
            if (size > MaxManifestBytes)
            {
                throw new CorruptDataException($"cannot read manifest {key}: it claims {size} bytes");
            }

            using var decompressor = new Decompressor();
            decompressor.SetParameter(ZstdSharp.Unsafe.ZSTD_dParameter.ZSTD_d_windowLogMax, 27);
            json = decompressor.Unwrap(stored).ToArray();
        }
        catch (ZstdException ex)
        {
            throw new CorruptDataException($"cannot read manifest {key}: not valid zstd ({ex.Message})", ex);
        }

        return FromJson(json, key, requireMatchingId);
    }

    /// <summary>The checks of <see cref="Decode"/> on the manifest's JSON (also used by <see cref="ManifestScanner"/>).</summary>
    internal static SnapshotManifest FromJson(ReadOnlySpan<byte> json, string key, bool requireMatchingId)
    {
        SnapshotManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(json, ManifestJsonContext.Default.SnapshotManifest);
        }
        catch (JsonException ex)
        {
            throw new CorruptDataException($"cannot read manifest {key}: invalid JSON ({ex.Message})", ex);
        }

        if (manifest is null || manifest.Blobs is null || manifest.Id is null || manifest.Hostname is null || manifest.Name is null || manifest.MetadataHash is null)
        {
            throw new CorruptDataException($"cannot read manifest {key}: required fields are missing");
        }

        if (!SnapshotManifest.ReadableFormatVersions.Contains(manifest.FormatVersion))
        {
            throw new CorruptDataException($"cannot read manifest {key}: store format {manifest.FormatVersion} is not one this Vaultik reads ({string.Join(", ", SnapshotManifest.ReadableFormatVersions)})");
        }

        if (!SnapshotId.TryParse(manifest.Id, out _) || (requireMatchingId && key != StoreLayout.ManifestKey(manifest.Id)))
        {
            throw new CorruptDataException($"cannot read manifest {key}: its id '{manifest.Id}' does not match its key");
        }

        if (!Hash256.TryParse(manifest.MetadataHash, out _) || manifest.MetadataSize < 0 || manifest.FileCount < 0 || manifest.TotalSize < 0)
        {
            throw new CorruptDataException($"cannot read manifest {key}: its metadata hash, sizes or counts are malformed");
        }

        foreach (var blob in manifest.Blobs)
        {
            if (blob is null || !Hash256.TryParse(blob.Hash, out _) || blob.Size < 0)
            {
                throw new CorruptDataException($"cannot read manifest {key}: a blob entry is malformed");
            }
        }

        if (manifest.Tags is null)
        {
            // "tags": null reads as no tags, like a manifest written before tags existed.
            manifest = manifest with { Tags = [] };
        }

        if (manifest.Tags.Count > 0)
        {
            if (manifest.Tags.Any(t => !SnapshotTags.IsValid(t)))
            {
                throw new CorruptDataException($"cannot read manifest {key}: a tag is malformed");
            }

            manifest = manifest with { Tags = [.. manifest.Tags.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)] };
        }

        return manifest;
    }

    public static async Task<SnapshotManifest> ReadAsync(IObjectStore store, string snapshotId, CancellationToken cancellationToken, bool requireMatchingId = true)
    {
        var key = StoreLayout.ManifestKey(snapshotId);
        await using var stream = await store.GetAsync(key, null, cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxManifestBytes)
            {
                throw new CorruptDataException($"cannot read manifest {key}: larger than {MaxManifestBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), key, requireMatchingId);
    }
}
