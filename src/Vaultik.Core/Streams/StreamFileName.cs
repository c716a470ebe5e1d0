using Vaultik.Core.Layout;

namespace Vaultik.Core.Streams;

/// <summary>
/// The name a stream is stored under: a relative snapshot path exactly as given (<c>mydb.sql</c>,
/// <c>dumps/mydb.sql</c>). It must pass <see cref="SnapshotPathRule"/>, the rule every restorer enforces,
/// checked here so that no snapshot is written that a restorer would refuse.
/// </summary>
public static class StreamFileName
{
    public const string Default = "stdin";

    /// <summary>
    /// Returns <paramref name="name"/> in the canonical escaped form of names (<see cref="Platform.RawName"/>: typed
    /// <c>\xff</c> is the byte 0xff) or throws a <see cref="ConfigurationException"/> naming <paramref name="what"/>.
    /// </summary>
    public static string Check(string name, string what) => Checked(Platform.RawName.Canonical(name), what);

    private static string Checked(string name, string what) =>
        Problem(name) is { } reason
            ? throw new ConfigurationException($"cannot use {what} '{name.Replace("\0", "\\0", StringComparison.Ordinal)}': {reason}")
            : name;

    private static string? Problem(string name) => SnapshotPathRule.Find(name) switch
    {
        null => null,
        { Fault: SnapshotPathFault.Empty } => "it is empty",
        { Fault: SnapshotPathFault.Absolute } => "it must be relative (no leading '/')",
        { Fault: SnapshotPathFault.Nul } => "it contains NUL",
        { Fault: SnapshotPathFault.TooLong } => "it is longer than 4096 bytes",
        { Fault: SnapshotPathFault.EmptyComponent } => "it has an empty component ('//' or a trailing '/')",
        { Fault: SnapshotPathFault.DotComponent, Part: var part } => $"it has a '{part}' component",
        { Fault: SnapshotPathFault.NotCanonical } => "it is not in the escaped form of names",
        _ => "it has a component longer than 255 bytes",
    };
}
