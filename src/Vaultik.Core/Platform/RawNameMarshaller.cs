using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;
using System.Text;

namespace Vaultik.Core.Platform;

/// <summary>
/// Passes a name or path in <see cref="RawName"/>'s escaped form to the kernel as the bytes it stands for
/// (NUL-terminated): the string marshalling of every P/Invoke that takes a name from a walked tree or a snapshot.
/// </summary>
[CustomMarshaller(typeof(string), MarshalMode.ManagedToUnmanagedIn, typeof(RawNameMarshaller))]
internal static unsafe class RawNameMarshaller
{
    public static byte* ConvertToUnmanaged(string? managed)
    {
        if (managed is null)
        {
            return null;
        }

        if (!managed.Contains('\\', StringComparison.Ordinal))
        {
            var max = Encoding.UTF8.GetMaxByteCount(managed.Length);
            var plain = (byte*)NativeMemory.Alloc((nuint)max + 1);
            var length = Encoding.UTF8.GetBytes(managed, new Span<byte>(plain, max));
            plain[length] = 0;
            return plain;
        }

        var bytes = RawName.Unescape(managed);
        var native = (byte*)NativeMemory.Alloc((nuint)bytes.Length + 1);
        bytes.CopyTo(new Span<byte>(native, bytes.Length));
        native[bytes.Length] = 0;
        return native;
    }

    public static void Free(byte* unmanaged) => NativeMemory.Free(unmanaged);
}
