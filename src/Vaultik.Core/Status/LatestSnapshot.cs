namespace Vaultik.Core.Status;

/// <summary>
/// A group's latest complete snapshot, from its manifest: <see cref="Written"/> is the store's LastModified of
/// the manifest, <see cref="Age"/> the time from it to the check; <see cref="Size"/> and <see cref="Files"/> are the
/// manifest's <c>total_size</c> and <c>file_count</c>; <see cref="Blobs"/> the blobs it lists; <see cref="NewBytes"/>
/// the stored bytes of those blobs that no earlier complete snapshot of the same group lists.
/// </summary>
public sealed record LatestSnapshot(
    string Id,
    DateTimeOffset Created,
    DateTimeOffset Written,
    TimeSpan Age,
    long Size,
    long Files,
    long NewBytes,
    int Blobs);
