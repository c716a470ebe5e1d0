using Vaultik.Core.Restore;

namespace Vaultik.Core.Tests.Restore;

/// <summary>Which mode bits a restored or fetched entry may carry.</summary>
public sealed class EntryMetadataTests
{
    [Theory]
    // Owner restored (root, like tar): every bit kept.
    [InlineData(0x81ED | 0x800, false, true, 0x9ED)]
    [InlineData(0x41FF | 0x200, true, true, 0x3FF)]
    // Not owned by the snapshot's owner: setuid and setgid dropped; sticky kept on directories only.
    [InlineData(0x81ED | 0x800, false, false, 0x1ED)]
    [InlineData(0x81ED | 0x400, false, false, 0x1ED)]
    [InlineData(0x81ED | 0x200, false, false, 0x1ED)]
    [InlineData(0x41FF | 0x200, true, false, 0x3FF)]
    [InlineData(0x41FF | 0x400, true, false, 0x1FF)]
    [InlineData(0x8180, false, false, 0x180)]
    public void Setuid_and_setgid_survive_only_with_the_owner(long mode, bool isDirectory, bool ownerRestored, int expected) =>
        Assert.Equal(expected, EntryMetadata.PermissionBits(mode, isDirectory, ownerRestored));
}
