using Vaultik.Core.Metadata;
using Vaultik.Tests.Fuzz;

namespace Vaultik.Core.Tests.Fuzz;

/// <summary>
/// MetadataReader opened on mutated SQLite files and asked everything a restore, fetch and verify ask: bit
/// flips and truncations of a real small metadata database, and row mutations (NULLs, wrong types, huge and
/// negative integers, control characters, missing rows and tables) of one with the attacker's loose schema.
/// </summary>
public sealed class MetadataFuzzTests
{
    private static readonly FuzzTarget Target = new("metadata", Read, typeof(CorruptDataException));

    public static IEnumerable<object[]> Regressions => FuzzFiles.RegressionNames(Target.Parser);

    private static void Read(byte[] input)
    {
        var path = Path.Combine(Path.GetTempPath(), $"vaultik-fuzz-{Guid.NewGuid():N}.db");
        File.WriteAllBytes(path, input);
        try
        {
            using var reader = new MetadataReader(path);
            var page = reader.ReadEntryPage(null, 0, int.MaxValue);
            var entries = page.Select(p => p.Entry).ToList();
            foreach (var (_, key) in page.Take(4))
            {
                reader.ReadEntryPage(key, 1, 2);
                reader.ReadEntryPage(key, 1, 2, descending: true, directoriesOnly: true);
                reader.ReadEntryPage(key, 1, 2, hardLinksOnly: true);
            }

            if (entries.Count > 0)
            {
                reader.HardLinkTargetsBetween(entries[0].Path, entries[^1].Path);
            }

            var ids = entries.Select(e => e.Id).ToList();
            reader.InconsistentFiles(ids);
            reader.LayOutChunks(ids);
            foreach (var (hash, _) in reader.PlannedBlobs())
            {
                reader.TargetsInBlob(hash);
            }

            foreach (var entry in entries)
            {
                reader.FileChunks(entry.Id);
                reader.FindEntry(entry.Path);
            }

            _ = reader.AllChunks().Count();
            reader.CheckFileChunks();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Mutated_database_files_fail_only_as_corrupt_data()
    {
        await Task.Yield();
        FuzzRun.Run(Target, [MetadataFuzzCorpus.Real, MetadataFuzzCorpus.Loose], seed: 71, iterations: 1_500);
    }

    [Fact(Timeout = 60_000)]
    public async Task Databases_with_hostile_rows_fail_only_as_corrupt_data()
    {
        await Task.Yield();
        var mutator = new FuzzMutator(72, FuzzRun.MaxInputLength);
        FuzzRun.Run(Target, Enumerable.Range(0, 600 * FuzzRun.Scale).Select(i =>
            ($"rows72-{i}", MetadataFuzzCorpus.Apply(MetadataFuzzCorpus.Loose, MetadataFuzzCorpus.RowMutation(mutator)))));
    }

    [Theory]
    [MemberData(nameof(Regressions))]
    public void Saved_case_keeps_its_contract(string name) => FuzzRun.Replay(Target, name);

    [Fact]
    public void The_corpus_databases_read_cleanly()
    {
        foreach (var db in new[] { MetadataFuzzCorpus.Real, MetadataFuzzCorpus.Loose })
        {
            Assert.Null(Target.Check(db));
        }
    }
}
