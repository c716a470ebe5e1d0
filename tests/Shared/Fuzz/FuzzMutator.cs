using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Vaultik.Tests.Fuzz;

/// <summary>
/// Deterministic input mutations from one seed (the same seed always yields the same inputs): bit flips, byte
/// sets, insertions, deletions, truncations, splices with another corpus entry, interesting integers written
/// as bytes (both byte orders) or as decimal text over a run of digits. Outputs never exceed the length cap.
/// </summary>
public sealed class FuzzMutator
{
    private static readonly long[] InterestingValues =
    [
        0, 1, -1, 2, 7, 8, 15, 16, 31, 32, 63, 64, 127, 128, 255, 256, 4095, 4096, 65535, 65536, 65537, 65552,
        (1 << 20) - 1, 1 << 20, 1 << 24, 64L << 20, (64L << 20) + 1, int.MaxValue, int.MinValue, (long)int.MaxValue + 1,
        uint.MaxValue, 1L << 32, 1L << 40, 1L << 48, 1L << 62, long.MaxValue / 65552, long.MaxValue, long.MinValue, -2, -65536,
    ];

    private readonly int _maxLength;

    public FuzzMutator(int seed, int maxLength)
    {
        Random = new Random(seed);
        _maxLength = maxLength;
    }

    /// <summary>The mutator's generator, for structured mutations that need more random choices.</summary>
    public Random Random { get; }

    public long InterestingInteger() => InterestingValues[Random.Next(InterestingValues.Length)];

    /// <summary>One to four mutations of <paramref name="input"/>; <paramref name="corpus"/> supplies splice partners.</summary>
    public byte[] Mutate(byte[] input, IReadOnlyList<byte[]> corpus)
    {
        var data = (byte[])input.Clone();
        for (var n = Random.Next(1, 5); n > 0; n--)
        {
            data = MutateOnce(data, corpus);
        }

        return data.Length > _maxLength ? data[.._maxLength] : data;
    }

    private byte[] MutateOnce(byte[] data, IReadOnlyList<byte[]> corpus)
    {
        if (data.Length == 0)
        {
            return RandomBytes(Random.Next(1, 64));
        }

        var at = Random.Next(data.Length);
        switch (Random.Next(10))
        {
            case 0:
            case 1:
                data[at] ^= (byte)(1 << Random.Next(8));
                return data;
            case 2:
                data[at] = (byte)(Random.Next(2) == 0 ? Random.Next(256) : InterestingInteger());
                return data;
            case 3:
                return [.. data[..at], .. RandomBytes(Random.Next(1, 17)), .. data[at..]];
            case 4:
                return [.. data[..at], .. data[Math.Min(data.Length, at + Random.Next(1, 65))..]];
            case 5:
                return data[..Random.Next(data.Length)];
            case 6:
                var other = corpus[Random.Next(corpus.Count)];
                var from = other.Length == 0 ? 0 : Random.Next(other.Length);
                return [.. data[..at], .. other[from..]];
            case 7:
                return WriteInteger(data, at);
            case 8:
                return ReplaceDigits(data, at);
            default:
                var length = Math.Min(data.Length - at, Random.Next(1, 65));
                return [.. data[..(at + length)], .. data[at..(at + length)], .. data[(at + length)..]];
        }
    }

    private byte[] WriteInteger(byte[] data, int at)
    {
        var width = 1 << Random.Next(4);
        if (at + width > data.Length)
        {
            return data;
        }

        Span<byte> bytes = stackalloc byte[8];
        var value = InterestingInteger();
        if (Random.Next(2) == 0)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
            bytes[..width].CopyTo(data.AsSpan(at));
        }
        else
        {
            BinaryPrimitives.WriteInt64BigEndian(bytes, value);
            bytes[(8 - width)..].CopyTo(data.AsSpan(at));
        }

        return data;
    }

    /// <summary>Replaces the run of ASCII digits at or after <paramref name="at"/> with an interesting integer in decimal.</summary>
    private byte[] ReplaceDigits(byte[] data, int at)
    {
        var start = Array.FindIndex(data, at, b => b is >= (byte)'0' and <= (byte)'9');
        if (start < 0)
        {
            return data;
        }

        var end = start;
        while (end < data.Length && data[end] is >= (byte)'0' and <= (byte)'9')
        {
            end++;
        }

        var text = Encoding.ASCII.GetBytes(InterestingInteger().ToString(CultureInfo.InvariantCulture));
        return [.. data[..start], .. text, .. data[end..]];
    }

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.NextBytes(bytes);
        return bytes;
    }
}
