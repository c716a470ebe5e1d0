using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Vaultik.Core.Mount.Fuse;

/// <summary>
/// Mounts a <see cref="MountFileSystem"/> read-only with libfuse 3 and serves it in the foreground (one
/// thread, <c>fuse_loop</c>) until it is unmounted: by <c>fusermount3 -u</c> (or umount) from outside, or by
/// cancelling the token (the CLI's SIGINT/SIGTERM), which makes libfuse exit and detaches the mount
/// (umount2 MNT_DETACH as root, else <c>fusermount3 -u -z</c>). Returns once the mount is gone.
/// </summary>
public static unsafe class FuseHost
{
    /// <summary>Mount options: read-only, the kernel checks the stored modes and owners, cached content (stored inode numbers: FuseCallbacks' init).</summary>
    public const string Options = "ro,default_permissions,fsname=vaultik,subtype=vaultik,kernel_cache,attr_timeout=60,entry_timeout=60,negative_timeout=10";

    /// <summary>Refuses a mountpoint that is missing, not a directory or not empty (the message names which).</summary>
    public static string CheckMountPoint(string mountpoint)
    {
        var full = Path.GetFullPath(mountpoint);
        if (File.Exists(full))
        {
            throw new VaultikException($"cannot mount at {mountpoint}: not a directory");
        }

        if (!Directory.Exists(full))
        {
            throw new VaultikException($"cannot mount at {mountpoint}: no such directory");
        }

        if (Directory.EnumerateFileSystemEntries(full).Any())
        {
            throw new VaultikException($"cannot mount at {mountpoint}: the directory is not empty");
        }

        return full;
    }

    /// <summary>Serves <paramref name="fs"/> at <paramref name="mountpoint"/> (checked); <paramref name="mounted"/> runs once the mount is live.</summary>
    public static void Run(MountFileSystem fs, string mountpoint, Action mounted, CancellationToken stop)
    {
        var table = FuseCallbacks.Table();
        var argv = new[] { "vaultik", "-o", Options }.Select(a => (nint)Utf8(a)).ToArray();
        var fuse = nint.Zero;
        try
        {
            fixed (nint* pointers = argv)
            {
                var args = new FuseNative.FuseArgs { Argc = argv.Length, Argv = (byte**)pointers, Allocated = 0 };
                FuseCallbacks.FileSystem = fs;
                try
                {
                    fuse = FuseNative.New(&args, &table, (nuint)sizeof(FuseOperations), nint.Zero);
                }
                catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
                {
                    throw new VaultikException($"cannot mount at {mountpoint}: libfuse3.so.3 cannot be loaded (apt-get install fuse3): {ex.Message}", ex);
                }
            }

            if (fuse == nint.Zero)
            {
                throw new VaultikException($"cannot mount at {mountpoint}: libfuse refused the options {Options}");
            }

            if (FuseNative.Mount(fuse, mountpoint) != 0)
            {
                throw new VaultikException($"cannot mount at {mountpoint}: fuse_mount failed (is /dev/fuse there, and fusermount3 from the fuse3 package installed?)");
            }

            mounted();
            var served = fuse;
            using (stop.Register(() => Detach(served, mountpoint)))
            {
                var result = FuseNative.Loop(fuse);
                FuseNative.Unmount(fuse);
                if (result != 0 && !stop.IsCancellationRequested)
                {
                    throw new VaultikException($"cannot serve the mount at {mountpoint}: the FUSE loop failed ({result})");
                }
            }
        }
        finally
        {
            if (fuse != nint.Zero)
            {
                FuseNative.Destroy(fuse);
            }

            FuseCallbacks.FileSystem = null;
            foreach (var p in argv)
            {
                NativeMemory.Free((void*)p);
            }
        }
    }

    /// <summary>Ends the loop: libfuse's exit flag, then a lazy unmount, which makes its pending read return.</summary>
    private static void Detach(nint fuse, string mountpoint)
    {
        FuseNative.Exit(fuse);
        if (FuseNative.Umount2(mountpoint, 2) == 0)
        {
            return;
        }

        using var process = Process.Start(new ProcessStartInfo("fusermount3", ["-u", "-z", mountpoint]) { UseShellExecute = false });
        process?.WaitForExit();
    }

    private static byte* Utf8(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var p = (byte*)NativeMemory.Alloc((nuint)bytes.Length + 1);
        bytes.AsSpan().CopyTo(new Span<byte>(p, bytes.Length));
        p[bytes.Length] = 0;
        return p;
    }
}
