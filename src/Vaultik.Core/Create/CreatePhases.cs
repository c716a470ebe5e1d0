namespace Vaultik.Core.Create;

/// <summary>The values of <see cref="CreateStats.Phase"/>, in the order a run goes through them (machine-readable: <c>--progress-json</c>).</summary>
public static class CreatePhases
{
    /// <summary>Waiting for the locks, opening the index.</summary>
    public const string Starting = "starting";

    /// <summary>Reconciling the index with the store's listing.</summary>
    public const string Reconciling = "reconciling";

    /// <summary>Walking and reading the source, uploading blobs.</summary>
    public const string Reading = "reading";

    /// <summary>Encrypting and uploading the metadata and the manifest.</summary>
    public const string StoringMetadata = "storing_metadata";

    /// <summary>The snapshot is written.</summary>
    public const string Done = "done";
}
