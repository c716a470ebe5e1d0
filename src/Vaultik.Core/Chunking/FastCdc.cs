using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Vaultik.Core.Chunking;

/// <summary>
/// FastCDC 2020 (Xia et al., IEEE TPDS 2020): gear rolling hash, sub-minimum skipping, normalized chunking
/// with a strict mask below the average size and a loose one above it, and two bytes per step (the even
/// byte tested with left-shifted tables). Reproduces the reference cut points of the standard fixture.
/// </summary>
public static class FastCdc
{
    private static readonly ulong[] Masks =
    [
        0, 0, 0, 0, 0,
        0x0000000001804110, 0x0000000001803110, 0x0000000018035100, 0x0000001800035300, 0x0000019000353000,
        0x0000590003530000, 0x0000d90003530000, 0x0000d90103530000, 0x0000d90303530000, 0x0000d90313530000,
        0x0000d90f03530000, 0x0000d90303537000, 0x0000d90703537000, 0x0000d90707537000, 0x0000d91707537000,
        0x0000d91747537000, 0x0000d91767537000, 0x0000d93767537000, 0x0000d93777537000, 0x0000d93777577000,
        0x0000db3777577000,
    ];

    internal static readonly ulong[] Gear = BuildGear();
    internal static readonly ulong[] GearShifted = Gear.Select(g => g << 1).ToArray();

    /// <summary>round(log2(size)), the mask index of an average size.</summary>
    public static int Bits(int averageSize) => (int)Math.Round(Math.Log2(averageSize));

    /// <summary>
    /// Length of the next chunk at the start of <paramref name="data"/>, which must hold at least
    /// <see cref="ChunkerOptions.MaxSize"/> bytes unless it is the end of the input.
    /// </summary>
    public static int FindCutPoint(ReadOnlySpan<byte> data, ChunkerOptions options, out ulong hash)
    {
        var bits = Bits(options.AverageSize);
        var maskS = Masks[bits + options.NormalizationLevel];
        var maskL = Masks[bits - options.NormalizationLevel];
        return FindCutPoint(data, options.MinSize, options.AverageSize, options.MaxSize, maskS, maskL, out hash);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int FindCutPoint(ReadOnlySpan<byte> data, int minSize, int averageSize, int maxSize, ulong maskS, ulong maskL, out ulong hash)
    {
        hash = 0;
        var remaining = data.Length;
        if (remaining <= minSize)
        {
            return remaining;
        }

        var center = averageSize;
        if (remaining > maxSize)
        {
            remaining = maxSize;
        }
        else if (remaining < center)
        {
            center = remaining;
        }

        var maskSLs = maskS << 1;
        var maskLLs = maskL << 1;
        ref var src = ref MemoryMarshal.GetReference(data);
        ref var gear = ref MemoryMarshal.GetArrayDataReference(Gear);
        ref var gearLs = ref MemoryMarshal.GetArrayDataReference(GearShifted);
        ulong h = 0;
        var index = minSize / 2;
        for (var end = center / 2; index < end; index++)
        {
            var a = index * 2;
            h = (h << 2) + Unsafe.Add(ref gearLs, Unsafe.Add(ref src, a));
            if ((h & maskSLs) == 0)
            {
                hash = h;
                return a;
            }

            h += Unsafe.Add(ref gear, Unsafe.Add(ref src, a + 1));
            if ((h & maskS) == 0)
            {
                hash = h;
                return a + 1;
            }
        }

        for (var end = remaining / 2; index < end; index++)
        {
            var a = index * 2;
            h = (h << 2) + Unsafe.Add(ref gearLs, Unsafe.Add(ref src, a));
            if ((h & maskLLs) == 0)
            {
                hash = h;
                return a;
            }

            h += Unsafe.Add(ref gear, Unsafe.Add(ref src, a + 1));
            if ((h & maskL) == 0)
            {
                hash = h;
                return a + 1;
            }
        }

        hash = h;
        return remaining;
    }

    private static ulong[] BuildGear()
    {
        var table = new ulong[256];
        Span<byte> input = stackalloc byte[64];
        Span<byte> digest = stackalloc byte[16];
        for (var i = 0; i < 256; i++)
        {
            input.Fill((byte)i);
#pragma warning disable CA5351 // MD5 only derives the fixed gear table, as the FastCDC reference does; not security.
            MD5.HashData(input, digest);
#pragma warning restore CA5351
            table[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(digest);
        }

        return table;
    }
}
