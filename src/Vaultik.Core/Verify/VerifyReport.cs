namespace Vaultik.Core.Verify;

/// <summary>The outcome of a verification; not <see cref="Ok"/> when anything is missing or corrupt.</summary>
public sealed record VerifyReport(
    int SnapshotsChecked,
    int BlobsChecked,
    int BlobsDeepChecked,
    long ChunksChecked,
    IReadOnlyList<VerifyProblem> Problems,
    IReadOnlyList<string> OrphanedBlobs,
    IReadOnlyList<string> IncompleteSnapshots)
{
    public bool Ok => Problems.Count == 0;
}
