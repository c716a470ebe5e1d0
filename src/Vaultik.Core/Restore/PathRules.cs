using Vaultik.Core.Layout;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Restore;

/// <summary>
/// The path rules of docs/FORMAT.md: a stored path is relative, '/'-separated, with no empty, '.' or '..'
/// component and no NUL. Anything else comes from a damaged or hostile store and is refused. Other control
/// characters are legal in Linux names and restored as they are (output escapes them); a symlink's target is
/// stricter: no control character at all (<see cref="CheckLinkTarget"/>).
/// </summary>
public static class PathRules
{
    public const int MaxPathBytes = SnapshotPathRule.MaxPathBytes;
    public const int MaxNameBytes = SnapshotPathRule.MaxNameBytes;

    /// <summary>Null when <paramref name="path"/> is acceptable, else the reason it is not.</summary>
    public static string? Check(string path) => SnapshotPathRule.Find(path) switch
    {
        null => null,
        { Fault: SnapshotPathFault.Empty } => "empty path",
        { Fault: SnapshotPathFault.Absolute } => "absolute path",
        { Fault: SnapshotPathFault.Nul } => "path contains NUL",
        { Fault: SnapshotPathFault.TooLong } => "path longer than 4096 bytes",
        { Fault: SnapshotPathFault.EmptyComponent } => "empty path component",
        { Fault: SnapshotPathFault.DotComponent, Part: var part } => $"'{part}' path component",
        { Fault: SnapshotPathFault.NotCanonical } => "path not in the escaped form of names",
        _ => "name longer than 255 bytes",
    };

    /// <summary>Null when <paramref name="target"/> may be a symlink's target, else the reason it may not.</summary>
    public static string? CheckLinkTarget(string? target) =>
        string.IsNullOrEmpty(target) ? "symlink without a target"
        : target.Contains('\0', StringComparison.Ordinal) ? "link target contains NUL"
        : HasControl(target) ? "link target contains a control character"
        : RawName.Canonical(target) != target ? "link target not in the escaped form of names"
        : RawName.ByteCount(target) > MaxPathBytes ? "link target longer than 4096 bytes"
        : null;

    /// <summary>True when <paramref name="text"/> holds a C0 or C1 control character or DEL.</summary>
    private static bool HasControl(string text) => text.AsSpan().IndexOfAnyInRange('\0', '\x1f') >= 0 || text.AsSpan().IndexOfAnyInRange('\x7f', '\x9f') >= 0;

    /// <summary>
    /// Normalises a user's PATH argument (<c>/home/me/</c> → <c>home/me</c>), typed in the escaped form of names
    /// (<c>bad\xffname</c> is the byte 0xff; <see cref="RawName.Canonical"/>).
    /// </summary>
    public static string NormalizeSelector(string selector) => RawName.Canonical(selector.Trim('/'));

    /// <summary>True when <paramref name="path"/> is <paramref name="selector"/> or lies below it.</summary>
    public static bool IsUnder(string path, string selector) =>
        selector.Length == 0 || path == selector || (path.StartsWith(selector, StringComparison.Ordinal) && path.Length > selector.Length && path[selector.Length] == '/');

    /// <summary>True when <paramref name="path"/> is an ancestor directory of <paramref name="selector"/>.</summary>
    public static bool IsAncestorOf(string path, string selector) =>
        selector.Length > path.Length && selector[path.Length] == '/' && selector.StartsWith(path, StringComparison.Ordinal);
}
