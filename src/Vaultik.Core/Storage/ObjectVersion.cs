namespace Vaultik.Core.Storage;

/// <summary>
/// One version of a key (<see cref="IObjectStore.ListVersionsAsync"/>): its id (null in stores without versions),
/// size and the store's clock when it was written; a delete marker has no content.
/// </summary>
public readonly record struct ObjectVersion(string Key, string? VersionId, long Size, DateTimeOffset LastModified, bool IsDeleteMarker);
