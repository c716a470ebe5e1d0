using Vaultik.Core.Metadata;

namespace Vaultik.Core.Browse;

/// <summary>An entry's type and permission bits as <c>ls -l</c> shows them (<c>drwxr-xr-x</c>, <c>-rwsr-x---</c>, <c>lrwxrwxrwx</c>).</summary>
public static class ModeText
{
    public static string For(SnapshotEntry entry)
    {
        var mode = entry.Mode is >= 0 and <= 0xFFF ? entry.Mode : 0;
        Span<char> text = stackalloc char[10];
        text[0] = entry.Type switch
        {
            MetadataSchema.TypeDirectory => 'd',
            MetadataSchema.TypeSymlink => 'l',
            MetadataSchema.TypeFile => '-',
            _ => '?',
        };
        Triple(text[1..4], mode >> 6, (mode & 0x800) != 0, 's');
        Triple(text[4..7], mode >> 3, (mode & 0x400) != 0, 's');
        Triple(text[7..10], mode, (mode & 0x200) != 0, 't');
        return new string(text);
    }

    private static void Triple(Span<char> text, int bits, bool special, char mark)
    {
        text[0] = (bits & 4) != 0 ? 'r' : '-';
        text[1] = (bits & 2) != 0 ? 'w' : '-';
        var execute = (bits & 1) != 0;
        text[2] = special ? (execute ? mark : char.ToUpperInvariant(mark)) : (execute ? 'x' : '-');
    }
}
