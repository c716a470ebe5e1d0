using System.Text;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Browse;

/// <summary>
/// A member's names as archives hold them: the snapshot's escaped form of names (docs/FORMAT.md, "Names") turned
/// back into the real text (a backslash is one backslash again). tar's and zip's names are UTF-8 text here, so a
/// name or link target that is not valid UTF-8 cannot be a member: it is refused (restore and mount keep it).
/// </summary>
internal static class ArchiveNames
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary><paramref name="item"/> with real names, or null with the reason it cannot be a member.</summary>
    public static ArchiveItem? Decode(ArchiveItem item, out string? problem)
    {
        problem = null;
        string? hardLink = null, linkTarget = null;
        if (!TryText(item.Name, out var name)
            || (item.HardLinkName is not null && !TryText(item.HardLinkName, out hardLink))
            || (item.Entry.LinkTarget is not null && !TryText(item.Entry.LinkTarget, out linkTarget)))
        {
            problem = "its name or link target is not valid UTF-8, which a tar or zip member cannot hold (restore or mount it instead)";
            return null;
        }

        return item with { Name = name, HardLinkName = hardLink, Entry = item.Entry with { LinkTarget = linkTarget } };
    }

    private static bool TryText(string escaped, out string text)
    {
        text = escaped;
        if (!escaped.Contains('\\', StringComparison.Ordinal))
        {
            return true;
        }

        try
        {
            text = Strict.GetString(RawName.Unescape(escaped));
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
