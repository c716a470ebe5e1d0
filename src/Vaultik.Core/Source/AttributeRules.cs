namespace Vaultik.Core.Source;

/// <summary>
/// Which extended attributes a snapshot stores and how many (docs/FORMAT.md, "Extended attributes"): the
/// namespaces <c>user.</c>, <c>trusted.</c> (only root can read them), <c>security.</c> (file capabilities, SELinux
/// labels) and the POSIX ACLs <c>system.posix_acl_access</c> and <c>system.posix_acl_default</c>; names of 1–255
/// bytes, values of at most 64 KiB (Linux's limits) and at most <see cref="MaxEntryBytes"/> per entry.
/// </summary>
public static class AttributeRules
{
    /// <summary>The most bytes of names and values together one entry stores; what does not fit is left out with a warning.</summary>
    public const int MaxEntryBytes = 256 << 10;

    /// <summary>The longest value (Linux's XATTR_SIZE_MAX).</summary>
    public const int MaxValueBytes = Platform.Xattrs.MaxValueBytes;

    /// <summary>The longest name (Linux's XATTR_NAME_MAX).</summary>
    public const int MaxNameBytes = Platform.Xattrs.MaxNameBytes;

    /// <summary>The name of the attribute holding file capabilities, which chown and writing content clear.</summary>
    public static readonly byte[] Capability = "security.capability"u8.ToArray();

    private static readonly byte[][] Prefixes = ["user."u8.ToArray(), "trusted."u8.ToArray(), "security."u8.ToArray()];
    private static readonly byte[][] Exact = ["system.posix_acl_access"u8.ToArray(), "system.posix_acl_default"u8.ToArray()];

    /// <summary>True for a name of a stored namespace, 1–255 bytes, without NUL, with something after its prefix.</summary>
    public static bool IsStored(ReadOnlySpan<byte> name)
    {
        if (name.Length is 0 or > MaxNameBytes || name.Contains((byte)0))
        {
            return false;
        }

        foreach (var prefix in Prefixes)
        {
            if (name.Length > prefix.Length && name.StartsWith(prefix))
            {
                return true;
            }
        }

        foreach (var exact in Exact)
        {
            if (name.SequenceEqual(exact))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The name as text for a message.</summary>
    public static string Shown(byte[] name) => new Platform.ExtendedAttribute(name, []).ShownName;

    /// <summary>Bytes an attribute counts against <see cref="MaxEntryBytes"/>.</summary>
    public static int Cost(Platform.ExtendedAttribute attribute) => attribute.Name.Length + attribute.Value.Length;

}
