namespace Vaultik.Core.Metadata;

/// <summary>
/// Compares the metadata's blob rows, fed in hash order one at a time (<see cref="Next"/>), with a manifest's blob
/// list (sorted by hash when Vaultik wrote it): the two must name the same blobs with the same sizes. Nothing but
/// the position in the manifest's list is kept, so the comparison streams however many blobs there are. The first
/// difference is the <see cref="Problem"/>; <see cref="Next"/> returns false once there is one.
/// </summary>
internal sealed class BlobSetComparison
{
    private readonly IReadOnlyList<ManifestBlob> _manifest;
    private int _next;
    private string? _previous;

    public BlobSetComparison(IReadOnlyList<ManifestBlob> manifest) => _manifest = manifest;

    /// <summary>The first difference found, or null.</summary>
    public string? Problem { get; private set; }

    /// <summary>One metadata blob row; false (stop feeding) once a difference is found.</summary>
    public bool Next(string hash, long size)
    {
        if (Problem is not null)
        {
            return false;
        }

        if (_previous is not null && string.CompareOrdinal(hash, _previous) <= 0)
        {
            return Fail($"its metadata lists blob {MetadataManifestCheck.Shown(hash)} out of order or twice");
        }

        _previous = hash;
        if (!ManifestInOrder())
        {
            return false;
        }

        if (_next < _manifest.Count && string.CompareOrdinal(_manifest[_next].Hash, hash) < 0)
        {
            return Fail($"the manifest lists blob {_manifest[_next].Hash}, which its metadata does not");
        }

        if (_next == _manifest.Count || !string.Equals(_manifest[_next].Hash, hash, StringComparison.Ordinal))
        {
            return Fail($"its metadata lists blob {MetadataManifestCheck.Shown(hash)}, which the manifest does not");
        }

        if (_manifest[_next].Size != size)
        {
            return Fail($"its metadata gives blob {hash} {size} bytes, the manifest {_manifest[_next].Size}");
        }

        _next++;
        return true;
    }

    /// <summary>After the last row: the first difference, including manifest blobs the metadata never named; null when the sets agree.</summary>
    public string? Finish()
    {
        if (Problem is null && ManifestInOrder() && _next < _manifest.Count)
        {
            Fail($"the manifest lists blob {_manifest[_next].Hash}, which its metadata does not");
        }

        return Problem;
    }

    /// <summary>The manifest's next entry comes strictly after the one before it (a list Vaultik wrote is sorted and has no duplicates).</summary>
    private bool ManifestInOrder() =>
        _next == 0 || _next >= _manifest.Count || string.CompareOrdinal(_manifest[_next].Hash, _manifest[_next - 1].Hash) > 0
        || Fail($"the manifest lists blob {_manifest[_next].Hash} out of order or twice");

    private bool Fail(string problem)
    {
        Problem ??= problem;
        return false;
    }
}
