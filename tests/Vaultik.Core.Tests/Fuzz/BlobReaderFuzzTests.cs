using Vaultik.Core.Layout;
using Vaultik.Core.Packing;
using Vaultik.Testing;
using Vaultik.Tests.Fuzz;

namespace Vaultik.Core.Tests.Fuzz;

/// <summary>
/// BlobReader (open, frame table, ranged plaintext, zstd frames, chunk hashes) on mutated blobs, mutated
/// frames under a valid age layer, and chunk tables and stored sizes that lie (see <see cref="BlobFuzzInput"/>).
/// </summary>
public sealed class BlobReaderFuzzTests
{
    /// <summary>A chunk may be 64 MiB (the chunker's maximum), so the reader may rent that much whatever the input.</summary>
    private static readonly FuzzTarget Target = new("blob", input => ReadAsync(input).GetAwaiter().GetResult(), typeof(CorruptDataException), typeof(VaultikException))
    {
        BaseAllocation = 160L << 20,
    };

    public static IEnumerable<object[]> Regressions => FuzzFiles.RegressionNames(Target.Parser);

    private static async Task ReadAsync(byte[] input)
    {
        if (BlobFuzzInput.Decode(input) is not { } blob)
        {
            return;
        }

        var store = new MemoryObjectStore();
        var hash = Hash256.Compute(blob.Blob);
        await store.PutAsync(StoreLayout.BlobKey(hash), new MemoryStream(blob.Blob));
        var reader = await BlobReader.OpenAsync(store, hash, blob.ClaimedSize, [FuzzKeys.Identity], CancellationToken.None);
        await reader.ReadChunksAsync(blob.Chunks, (_, _) => ValueTask.CompletedTask, CancellationToken.None);
    }

    private static IReadOnlyList<byte[]> Corpus()
    {
        var plain = FuzzFiles.CorpusFile("blob", "three-chunks.plain", () => BlobFuzzInput.Pack(0, 700, 3000));
        var large = FuzzFiles.CorpusFile("blob", "two-age-chunks.plain", () => BlobFuzzInput.Pack(60_000, 20_000));
        return [plain, large, FuzzFiles.CorpusFile("blob", "three-chunks.sealed", () => BlobFuzzInput.Sealed(plain))];
    }

    [Fact(Timeout = 60_000)]
    public async Task Mutated_blobs_and_lying_tables_fail_only_as_corrupt_data()
    {
        await Task.Yield();
        FuzzRun.Run(Target, Corpus(), seed: 61, iterations: 10_000);
    }

    [Theory]
    [MemberData(nameof(Regressions))]
    public void Saved_case_keeps_its_contract(string name) => FuzzRun.Replay(Target, name);
}
