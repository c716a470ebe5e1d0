using System.Text;

namespace Vaultik.Core.Platform;

/// <summary>One extended attribute: its name's bytes (without the NUL) and its value's bytes, either possibly empty of text.</summary>
public sealed record ExtendedAttribute(byte[] Name, byte[] Value)
{
    /// <summary>The name for messages: UTF-8 where it decodes, bytes outside printable ASCII as \xNN.</summary>
    public string ShownName
    {
        get
        {
            var shown = new StringBuilder(Name.Length);
            foreach (var b in Name)
            {
                shown.Append(b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:x2}");
            }

            return shown.ToString();
        }
    }
}
