namespace Vaultik.Core.Source;

/// <summary>Told about every entry the walk leaves out and why.</summary>
public interface IWalkObserver
{
    /// <summary>
    /// <paramref name="isError"/> is true when the entry should have been backed up but could not be read
    /// (permission denied, vanished); false for deliberate skips (sockets, FIFOs, devices, other filesystems).
    /// </summary>
    void Skipped(string fullPath, string reason, bool isError);
}
