namespace Vaultik.Cli.Output;

/// <summary>`verify --json` and `snapshot verify --json`.</summary>
internal sealed record VerifyJson(
    bool Ok, int SnapshotsChecked, int BlobsChecked, int BlobsDeepChecked, long ChunksChecked,
    IReadOnlyList<VerifyProblemJson> Problems, IReadOnlyList<string> OrphanedBlobs, IReadOnlyList<string> IncompleteSnapshots);
