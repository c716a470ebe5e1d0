using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Vaultik.Core.Platform;

/// <summary>Lists a directory through an open descriptor with getdents64 (no path is looked up again).</summary>
public static unsafe partial class DirectoryEntries
{
    /// <summary>The names in the directory open as <paramref name="dir"/>, escaped (<see cref="RawName"/>; read with getdents64; '.' and '..' left out).</summary>
    public static List<string> Names(SafeFileHandle dir, string shown)
    {
        var names = new List<string>();
        const int size = 32 * 1024;
        var buffer = (byte*)NativeMemory.Alloc(size);
        try
        {
            while (true)
            {
                var n = getdents64(PosixAt.Fd(dir), buffer, size);
                if (n < 0)
                {
                    throw PosixAt.Error("list", shown, Marshal.GetLastPInvokeError());
                }

                if (n == 0)
                {
                    return names;
                }

                for (nint offset = 0; offset < n;)
                {
                    var record = buffer + offset;
                    var name = RawName.Escape(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(record + 19));
                    if (name is not "." and not "..")
                    {
                        names.Add(name);
                    }

                    offset += *(ushort*)(record + 16);
                }
            }
        }
        finally
        {
            NativeMemory.Free(buffer);
        }
    }

    [LibraryImport("libc", EntryPoint = "getdents64", SetLastError = true)]
    private static partial nint getdents64(int fd, byte* buffer, nint count);
}
