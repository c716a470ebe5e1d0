using System.Buffers;
using Vaultik.Core.Packing;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Restore;

/// <summary>
/// Whether a file already in the restore target holds exactly a snapshot file's content: same size and, cut at
/// the recorded chunk lengths, every piece hashes to its chunk hash. Used to resume restores and to verify them.
/// </summary>
public static class LocalFileCheck
{
    public static bool Matches(string path, long size, IReadOnlyList<PackedChunk> chunks)
    {
        if (!Posix.TryLstat(path, out var status, out _) || !status.IsRegular || status.Size != size)
        {
            return false;
        }

        var max = chunks.Count == 0 ? 0 : chunks.Max(c => c.PlainLength);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, max));
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 0, FileOptions.SequentialScan);
            foreach (var chunk in chunks)
            {
                var span = buffer.AsSpan(0, chunk.PlainLength);
                if (file.ReadAtLeast(span, span.Length, throwOnEndOfStream: false) != span.Length || Hash256.Compute(span) != chunk.Hash)
                {
                    return false;
                }
            }

            return file.ReadByte() < 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
