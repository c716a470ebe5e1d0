using System.Text;
using Vaultik.Core.Platform;
using Vaultik.Core.Source;

namespace Vaultik.Core.Metadata;

/// <summary>
/// The row stream's <c>xattrs</c> field (format 4, docs/FORMAT.md "Extended attributes"): the entry's attributes
/// in name-byte order as <c>name=base64(value)</c>, separated by one space. A name's bytes are written as they are
/// when printable ASCII other than <c>%</c>, <c>=</c>, <c>,</c> and <c>"</c>, every other byte (a space too) as
/// <c>%XX</c> (uppercase hex), so a name holds no space and no <c>=</c>; values are standard padded base64, lossless
/// for any bytes (<c>setfattr -n NAME -v 0sBASE64</c> takes them as they are). Empty: no attributes.
/// </summary>
public static class XattrColumn
{
    public static string Encode(IReadOnlyList<ExtendedAttribute> attributes)
    {
        if (attributes.Count == 0)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        foreach (var attribute in attributes)
        {
            if (text.Length > 0)
            {
                text.Append(' ');
            }

            foreach (var b in attribute.Name)
            {
                if (b is > 0x20 and < 0x7F and not (byte)'%' and not (byte)'=' and not (byte)',' and not (byte)'"')
                {
                    text.Append((char)b);
                }
                else
                {
                    text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            text.Append('=').Append(Convert.ToBase64String(attribute.Value));
        }

        return text.ToString();
    }

    /// <summary>The attributes of a field, or null with <paramref name="error"/> for one that is not the canonical encoding of stored attributes within the limits.</summary>
    public static List<ExtendedAttribute>? Decode(string field, out string? error)
    {
        error = null;
        var attributes = new List<ExtendedAttribute>();
        if (field.Length == 0)
        {
            return attributes;
        }

        var total = 0;
        foreach (var pair in field.Split(' '))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals <= 0 ? null : Unescape(pair.AsSpan(0, equals));
            if (name is null || !AttributeRules.IsStored(name))
            {
                error = "an extended attribute's name is malformed or of a namespace that is not stored";
                return null;
            }

            var encoded = pair.AsSpan(equals + 1);
            var value = new byte[encoded.Length / 4 * 3];
            if (!Convert.TryFromBase64Chars(encoded, value, out var length) || length > AttributeRules.MaxValueBytes)
            {
                error = $"the value of extended attribute {AttributeRules.Shown(name)} is not base64 of at most {AttributeRules.MaxValueBytes} bytes";
                return null;
            }

            var attribute = new ExtendedAttribute(name, value[..length]);
            if ((total += AttributeRules.Cost(attribute)) > AttributeRules.MaxEntryBytes)
            {
                error = $"the extended attributes exceed {AttributeRules.MaxEntryBytes} bytes";
                return null;
            }

            attributes.Add(attribute);
        }

        // Sorted, unique, escaped and padded exactly as written: one encoding per set of attributes.
        if (!string.Equals(Encode(attributes), field, StringComparison.Ordinal))
        {
            error = "the extended attributes are not in their canonical encoding (name order, escapes, base64)";
            return null;
        }

        for (var i = 1; i < attributes.Count; i++)
        {
            if (attributes[i - 1].Name.AsSpan().SequenceCompareTo(attributes[i].Name) >= 0)
            {
                error = "the extended attributes are not in strictly ascending name order";
                return null;
            }
        }

        return attributes;
    }

    private static byte[]? Unescape(ReadOnlySpan<char> text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%')
            {
                if (i + 2 >= text.Length
                    || !byte.TryParse(text.Slice(i + 1, 2), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var b))
                {
                    return null;
                }

                bytes.Add(b);
                i += 2;
            }
            else if (c is > ' ' and < (char)0x7F)
            {
                bytes.Add((byte)c);
            }
            else
            {
                return null;
            }
        }

        return bytes.ToArray();
    }
}
