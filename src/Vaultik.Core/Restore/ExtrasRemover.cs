using Vaultik.Core.Metadata;

namespace Vaultik.Core.Restore;

/// <summary>
/// --delete: removes what is in the target under the restored paths but not in the snapshot, never following
/// symlinks and never leaving the target.
/// </summary>
internal static class ExtrasRemover
{
    /// <summary>Returns how many entries were removed (a removed directory counts once).</summary>
    public static long Remove(TargetTree tree, RestorePlan plan, IReadOnlyList<string> selectors, RestoreErrors errors)
    {
        var keep = plan.Selected.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        var roots = selectors.Count == 0
            ? plan.Selected.Where(e => e.Path.Length > 0 && !e.Path.Contains('/', StringComparison.Ordinal)).Select(e => e.Path).ToList()
            : selectors.Select(PathRules.NormalizeSelector).ToList();
        long deleted = 0;
        var pending = new Stack<string>(roots.Where(keep.Contains));
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
                if (keep.Contains(child))
                {
                    pending.Push(child);
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
