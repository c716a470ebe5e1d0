using System.Text.Json;
using Vaultik.Core.Layout;
using Vaultik.Core.Storage;
using ZstdSharp;

namespace Vaultik.Core.Metadata;

/// <summary>
/// Reads a manifest without holding its blob list: the zstd stream is decoded and its JSON parsed in pieces, each
/// blob entry is checked as <see cref="ManifestCodec.Decode"/> checks it and handed to a callback as it is read, and
/// everything else is copied to a small header that goes through <see cref="ManifestCodec"/>'s own parsing and
/// checks. Memory is a read buffer and the header, whatever the number of blobs. Stricter than the codec in two
/// ways, both refusals (so prune refuses rather than guesses): a manifest with two <c>blobs</c> lists (the codec
/// keeps the last) and invalid UTF-8 in a name or string the codec ignores.
/// </summary>
public static class ManifestScanner
{
    /// <summary>Headers (the manifest without its blob list) larger than this are refused as hostile.</summary>
    public const int MaxHeaderBytes = 16 << 20;

    /// <param name="onBlob">Called once per entry of the blob list, in the manifest's order; may be null.</param>
    public static async Task<ManifestHeader> ReadAsync(
        IObjectStore store, string snapshotId, Action<Hash256, long>? onBlob, CancellationToken cancellationToken, bool requireMatchingId = true)
    {
        var key = StoreLayout.ManifestKey(snapshotId);
        await using var stored = await store.GetAsync(key, null, cancellationToken).ConfigureAwait(false);
        var scan = new ManifestBlobStreamer(key, onBlob);
        try
        {
            await using var zstd = new DecompressionStream(stored);
            zstd.SetParameter(ZstdSharp.Unsafe.ZSTD_dParameter.ZSTD_d_windowLogMax, 27);
            await ParseAsync(zstd, scan, key, cancellationToken).ConfigureAwait(false);
        }
        catch (ZstdException ex)
        {
            throw new CorruptDataException($"cannot read manifest {key}: not valid zstd ({ex.Message})", ex);
        }
        catch (JsonException ex)
        {
            throw new CorruptDataException($"cannot read manifest {key}: invalid JSON ({ex.Message})", ex);
        }
        catch (Exception ex) when (ex is FormatException or (InvalidOperationException and not ObjectDisposedException))
        {
            // Utf8JsonReader's typed getters throw these for a value of the wrong JSON type or range.
            throw new CorruptDataException($"cannot read manifest {key}: invalid JSON ({ex.Message})", ex);
        }

        var manifest = ManifestCodec.FromJson(scan.Header(), key, requireMatchingId);
        return new ManifestHeader(manifest, scan.Count, scan.Bytes);
    }

    private static async Task ParseAsync(Stream json, ManifestBlobStreamer scan, string key, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 16];
        var filled = 0;
        var final = false;
        long total = 0;
        var state = new JsonReaderState(new JsonReaderOptions { MaxDepth = 64 });
        while (true)
        {
            if (!final)
            {
                var read = await json.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                final = read == 0;
                filled += read;
                total += read;
                if (total > ManifestCodec.MaxManifestBytes)
                {
                    throw new CorruptDataException($"cannot read manifest {key}: larger than {ManifestCodec.MaxManifestBytes} bytes");
                }
            }

            var consumed = scan.Feed(buffer.AsSpan(0, filled), final, ref state);
            if (scan.HeaderLength > MaxHeaderBytes)
            {
                throw new CorruptDataException($"cannot read manifest {key}: its fields other than the blob list exceed {MaxHeaderBytes} bytes");
            }

            Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
            filled -= consumed;
            if (final)
            {
                if (!scan.Done)
                {
                    throw new CorruptDataException($"cannot read manifest {key}: invalid JSON (it ends early)");
                }

                return;
            }

            if (filled == buffer.Length)
            {
                // One token longer than the buffer (a long string): grow; the total stays bounded by MaxManifestBytes.
                Array.Resize(ref buffer, buffer.Length * 2);
            }
        }
    }
}
