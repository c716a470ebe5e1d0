using System.Text;
using Vaultik.Core.Layout;
using Vaultik.Core.Locking;
using Vaultik.Testing;
using Vaultik.Tests.Fuzz;

namespace Vaultik.Core.Tests.Fuzz;

/// <summary>
/// Lock objects as StoreLockManager reads them (legacy locks/&lt;id&gt;.json, read like a lease): listing never fails on a damaged lock, a
/// live one only blocks with LockHeldException, and breaking stale locks copes with whatever was listed.
/// </summary>
public sealed class LockFuzzTests
{
    private const string Id = "20260101000000-host-4242-abcd1234";

    private static readonly FuzzTarget Target = new("lock", input => ReadAsync(input).GetAwaiter().GetResult(), typeof(LockHeldException));

    private static readonly IReadOnlyList<byte[]> Corpus =
    [
        FuzzFiles.CorpusFile("lock", "shared.json", () => Encoding.UTF8.GetBytes(
            $$"""{"id":"{{Id}}","kind":"shared","hostname":"host","pid":4242,"created":"2026-01-01T00:00:00+00:00","expires":"2999-01-01T00:10:00+00:00"}""")),
        FuzzFiles.CorpusFile("lock", "exclusive-expired.json", () => Encoding.UTF8.GetBytes(
            $$"""{"id":"{{Id}}","kind":"exclusive","hostname":"host","pid":1,"created":"2026-01-01T00:00:00Z","expires":"2026-01-01T00:10:00Z"}""")),
    ];

    public static IEnumerable<object[]> Regressions => FuzzFiles.RegressionNames(Target.Parser);

    private static async Task ReadAsync(byte[] input)
    {
        var store = new MemoryObjectStore();
        await store.PutAsync(StoreLayout.LockKey(Id), new MemoryStream(input));
        var manager = new StoreLockManager(store, "fuzz-host", TimeSpan.FromMinutes(10), _ => { });
        foreach (var l in await manager.ListAsync(CancellationToken.None))
        {
            _ = l.Describe();
            _ = l.IsLive(DateTimeOffset.UtcNow);
        }

        await using (await manager.AcquireExclusiveAsync(CancellationToken.None))
        {
            // Taken: nothing listed blocks it.
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Mutated_lock_objects_never_fail_listing()
    {
        await Task.Yield();
        FuzzRun.Run(Target, Corpus, seed: 41, iterations: 5_000);
    }

    [Theory]
    [MemberData(nameof(Regressions))]
    public void Saved_case_keeps_its_contract(string name) => FuzzRun.Replay(Target, name);
}
