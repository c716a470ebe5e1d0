using System.Runtime.InteropServices;

namespace Vaultik.Core.Platform;

/// <summary>
/// open(2) flag values for the processor Vaultik runs on: O_DIRECTORY and O_NOFOLLOW differ between x86_64 and
/// arm64 (on arm64 0x10000 is O_DIRECT and 0x20000 O_LARGEFILE, so the x86_64 values would silently drop
/// O_NOFOLLOW). The others are the same on both.
/// </summary>
internal static class OpenFlags
{
    private static readonly bool Arm64 = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    public static readonly int Directory = Arm64 ? 0x4000 : 0x10000;

    public static readonly int NoFollow = Arm64 ? 0x8000 : 0x20000;

    public const int ReadOnly = 0x0, WriteOnly = 0x1, Create = 0x40, Exclusive = 0x80, NoCtty = 0x100, NonBlock = 0x800;

    public const int CloseOnExec = 0x80000, Path = 0x200000;
}
