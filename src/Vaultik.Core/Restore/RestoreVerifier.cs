using Vaultik.Core.Metadata;

namespace Vaultik.Core.Restore;

/// <summary>--verify: re-reads every file of a window whose content was restored and checks it against its chunk hashes.</summary>
internal static class RestoreVerifier
{
    /// <summary>Adds to <paramref name="failed"/> every restored file of <paramref name="plan"/> that does not match the snapshot.</summary>
    public static void Verify(MetadataReader snapshot, TargetTree tree, FilesWriter writer, RestorePlan plan, HashSet<long> failed, RestoreErrors errors)
    {
        foreach (var file in plan.NeedContent.Where(f => !failed.Contains(f.Id)))
        {
            if (!tree.Matches(writer.PathOf(file.Id), file.Size, snapshot.FileChunks(file.Id).Select(c => c.Chunk).ToList()))
            {
                errors.Add($"cannot verify {file.Path}: the restored file does not match the snapshot");
                failed.Add(file.Id);
            }
        }
    }
}
