using System.Buffers.Binary;
using Vaultik.Core.Packing;
using Vaultik.Tests.Fuzz;

namespace Vaultik.Core.Tests.Fuzz;

/// <summary>
/// ChunkCodec.Decompress on mutated zstd frames and lying lengths. Input: a 4-byte little-endian plaintext
/// length the metadata claims (taken modulo 2 MiB, the caller's buffer), then the frame.
/// </summary>
public sealed class ChunkCodecFuzzTests
{
    private static readonly FuzzTarget Target = new("chunk-codec", Decompress, typeof(CorruptDataException));

    public static IEnumerable<object[]> Regressions => FuzzFiles.RegressionNames(Target.Parser);

    private static void Decompress(byte[] input)
    {
        if (input.Length < 4)
        {
            return;
        }

        var claimed = (int)(BinaryPrimitives.ReadUInt32LittleEndian(input) % (2u << 20));
        using var codec = new ChunkCodec(1);
        codec.Decompress(input.AsSpan(4), new byte[claimed], "fuzz chunk");
    }

    private static byte[] Frame(int length, int level)
    {
        var plain = new byte[length];
        new Random(length).NextBytes(plain.AsSpan(0, length / 3));
        using var codec = new ChunkCodec(level);
        var frame = new byte[ChunkCodec.MaxFrameLength(length)];
        var n = codec.Compress(plain, frame);
        var input = new byte[4 + n];
        BinaryPrimitives.WriteInt32LittleEndian(input, length);
        frame.AsSpan(0, n).CopyTo(input.AsSpan(4));
        return input;
    }

    [Fact(Timeout = 60_000)]
    public async Task Mutated_frames_fail_only_as_corrupt_data()
    {
        await Task.Yield();
        IReadOnlyList<byte[]> corpus =
        [
            FuzzFiles.CorpusFile("chunk-codec", "empty", () => Frame(0, 3)),
            FuzzFiles.CorpusFile("chunk-codec", "small", () => Frame(300, 3)),
            FuzzFiles.CorpusFile("chunk-codec", "large", () => Frame(200_000, 19)),
        ];
        FuzzRun.Run(Target, corpus, seed: 51, iterations: 10_000);
    }

    [Theory]
    [MemberData(nameof(Regressions))]
    public void Saved_case_keeps_its_contract(string name) => FuzzRun.Replay(Target, name);
}
