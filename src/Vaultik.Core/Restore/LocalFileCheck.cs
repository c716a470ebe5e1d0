using System.Buffers;
using Microsoft.Win32.SafeHandles;
using Vaultik.Core.Packing;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Restore;

/// <summary>
/// Whether a file already in the restore target holds exactly a snapshot file's content: a regular file of the
/// same size whose pieces, cut at the recorded chunk lengths, each hash to their chunk hash. Reads an open
/// descriptor (<see cref="TargetTree"/> opens it beneath the target, O_NOFOLLOW). Used to resume and to verify.
/// </summary>
public static class LocalFileCheck
{
    public static bool Matches(SafeFileHandle file, long size, IReadOnlyList<PackedChunk> chunks)
    {
        if (!PosixAt.TryStat(file, string.Empty, out var status, out _) || !status.IsRegular || status.Size != size)
        {
            return false;
        }

        var max = chunks.Count == 0 ? 0 : chunks.Max(c => c.PlainLength);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, max));
        try
        {
            long offset = 0;
            foreach (var chunk in chunks)
            {
                var span = buffer.AsSpan(0, chunk.PlainLength);
                if (ReadFully(file, span, offset) != span.Length || Hash256.Compute(span) != chunk.Hash)
                {
                    return false;
                }

                offset += span.Length;
            }

            return RandomAccess.Read(file, buffer.AsSpan(0, 1), offset) == 0;
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

    private static int ReadFully(SafeFileHandle file, Span<byte> span, long offset)
    {
        var total = 0;
        while (total < span.Length)
        {
            var n = RandomAccess.Read(file, span[total..], offset + total);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
