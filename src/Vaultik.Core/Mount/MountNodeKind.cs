namespace Vaultik.Core.Mount;

public enum MountNodeKind
{
    Directory,
    File,
    Symlink,
}
