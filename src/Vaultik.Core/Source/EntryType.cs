namespace Vaultik.Core.Source;

/// <summary>The kinds of entry a snapshot stores.</summary>
public enum EntryType
{
    File,
    Directory,
    Symlink,
}
