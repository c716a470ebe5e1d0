namespace Vaultik.Core.Metadata;

/// <summary>One entry of a manifest's <c>blobs</c> list: a blob hash and its stored size.</summary>
public sealed record ManifestBlob(string Hash, long Size);
