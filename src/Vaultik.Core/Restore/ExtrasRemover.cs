using Vaultik.Core.Metadata;

namespace Vaultik.Core.Restore;

/// <summary>
/// --delete: removes what is in the target under the restored paths but not in the snapshot, never following
/// symlinks and never leaving the target. Walks the target's directories (one listing at a time) and asks the
/// snapshot about each name it finds (an index lookup), so it holds no set of the snapshot's paths.
/// </summary>
internal static class ExtrasRemover
{
    /// <summary>Returns how many entries were removed (a removed directory counts once).</summary>
    public static long Remove(TargetTree tree, MetadataReader snapshot, RestoreSelection selection, RestoreErrors errors)
    {
        bool Keep(string path) => snapshot.FindEntry(path) is { } entry && selection.Accepts(entry);

        var roots = selection.Selectors.Count == 0 ? tree.ChildNames(string.Empty) : selection.Selectors.ToList();
        long deleted = 0;
        var pending = new Stack<string>(roots.Where(Keep));
        while (pending.Count > 0)
        {
            var relative = pending.Pop();
            if (!tree.IsDirectory(relative))
            {
                continue;
            }

            foreach (var name in tree.ChildNames(relative))
            {
                var child = relative + "/" + name;
                if (Keep(child))
                {
                    pending.Push(child);
                    continue;
                }

                if (!selection.Filter.IsEmpty && !selection.Filter.Accepts(child, tree.IsDirectory(child)))
                {
                    // What --include/--exclude leaves out is left alone in the target too (as rsync does).
                    continue;
                }

                try
                {
                    tree.Remove(child);
                    deleted++;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    errors.Add(ex.Message.StartsWith("cannot ", StringComparison.Ordinal) ? ex.Message : $"cannot delete {child}: {ex.Message}");
                }
            }
        }

        return deleted;
    }
}
