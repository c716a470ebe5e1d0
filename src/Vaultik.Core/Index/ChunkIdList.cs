namespace Vaultik.Core.Index;

/// <summary>
/// A file's chunk list as the index stores it (column <c>files.chunks</c>): the ids of its rows in table
/// <c>chunks</c>, in order, each an unsigned LEB128 varint (1 to 3 bytes for a million chunks, instead of a
/// 32-byte hash).
/// </summary>
internal static class ChunkIdList
{
    /// <summary>Longest encoding of one id (a 64-bit value in 7-bit groups).</summary>
    public const int MaxBytesPerId = 10;

    /// <summary>Appends <paramref name="id"/> to <paramref name="buffer"/> at <paramref name="offset"/>; returns the new offset.</summary>
    public static int Write(Span<byte> buffer, int offset, long id)
    {
        var value = unchecked((ulong)id);
        while (value >= 0x80)
        {
            buffer[offset++] = (byte)(value | 0x80);
            value >>= 7;
        }

        buffer[offset++] = (byte)value;
        return offset;
    }

    /// <summary>Reads the id at <paramref name="offset"/>; false when the bytes end inside it or it is too long.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, ref int offset, out long id)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64 && offset < bytes.Length; shift += 7)
        {
            var b = bytes[offset++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                id = unchecked((long)value);
                return true;
            }
        }

        id = 0;
        return false;
    }

    /// <summary>How many ids <paramref name="bytes"/> holds (bytes without the continuation bit end one each).</summary>
    public static int Count(ReadOnlySpan<byte> bytes)
    {
        var count = 0;
        foreach (var b in bytes)
        {
            if (b < 0x80)
            {
                count++;
            }
        }

        return count;
    }
}
