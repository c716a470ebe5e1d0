namespace Vaultik.Core.Hooks;

/// <summary>
/// A configured snapshot's <c>hooks:</c>: shell commands (each run as <c>/bin/sh -c COMMAND</c>) for each
/// <see cref="HookKind"/>, in the order given.
/// </summary>
public sealed record SnapshotHooks(IReadOnlyList<string> Before, IReadOnlyList<string> After, IReadOnlyList<string> OnFailure)
{
    public static readonly SnapshotHooks None = new([], [], []);

    /// <summary>The config key of each kind (<c>before</c>, <c>after</c>, <c>on_failure</c>).</summary>
    public static string KeyOf(HookKind kind) => kind switch
    {
        HookKind.Before => "before",
        HookKind.After => "after",
        _ => "on_failure",
    };

    public IReadOnlyList<string> For(HookKind kind) => kind switch
    {
        HookKind.Before => Before,
        HookKind.After => After,
        _ => OnFailure,
    };
}
