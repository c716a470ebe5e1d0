namespace Vaultik.Core.Verify;

/// <summary>The outcome of a verification; <see cref="ExitCode"/> is 5 when anything is missing or corrupt.</summary>
public sealed record VerifyReport(
    int SnapshotsChecked,
    int BlobsChecked,
    int BlobsDeepChecked,
    long ChunksChecked,
    IReadOnlyList<VerifyProblem> Problems,
    IReadOnlyList<string> OrphanedBlobs,
    IReadOnlyList<string> IncompleteSnapshots)
{
    public int ExitCode => Problems.Count == 0 ? ExitCodes.Success : ExitCodes.VerificationFailed;
}
