using Microsoft.Win32.SafeHandles;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Restore;

/// <summary>
/// Removes one entry beneath a directory descriptor, a directory with everything in it, never following a
/// symlink. Iterative with an explicit stack of at most <see cref="MaxDepth"/> open directories, so a tree made
/// deep on purpose can neither overflow the stack nor exhaust descriptors: what lies deeper is reported and left.
/// </summary>
internal static class TreeRemoval
{
    public const int MaxDepth = 256;

    public static void Remove(SafeFileHandle parent, string name, string shown)
    {
        var errno = PosixAt.TryUnlink(parent, name, directory: false);
        if (errno is 0 or PosixAt.ENOENT)
        {
            return;
        }

        var stack = new Stack<Level>();
        try
        {
            stack.Push(Open(parent, name, shown, errno));
            while (stack.Count > 0)
            {
                var top = stack.Peek();
                if (top.Children.TryDequeue(out var child))
                {
                    var childShown = top.Shown + "/" + child;
                    errno = PosixAt.TryUnlink(top.Dir, child, directory: false);
                    if (errno is 0 or PosixAt.ENOENT)
                    {
                        continue;
                    }

                    if (stack.Count >= MaxDepth)
                    {
                        throw new IOException($"cannot delete {shown}: deeper than {MaxDepth} levels (left as it is below {top.Shown})");
                    }

                    stack.Push(Open(top.Dir, child, childShown, errno));
                    continue;
                }

                stack.Pop();
                top.Dir.Dispose();
                PosixAt.Unlink(stack.Count > 0 ? stack.Peek().Dir : parent, top.Name, directory: true, top.Shown);
            }
        }
        finally
        {
            foreach (var level in stack)
            {
                level.Dir.Dispose();
            }
        }
    }

    private static Level Open(SafeFileHandle parent, string name, string shown, int unlinkErrno)
    {
        var dir = PosixAt.TryOpenChildDirectory(parent, name, out _) ?? throw new IOException($"cannot delete {shown}: {PosixAt.Reason(unlinkErrno)}", unlinkErrno);
        try
        {
            return new Level(dir, name, shown, new Queue<string>(DirectoryEntries.Names(dir, shown)));
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    private sealed record Level(SafeFileHandle Dir, string Name, string Shown, Queue<string> Children);
}
