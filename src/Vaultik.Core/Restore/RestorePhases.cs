namespace Vaultik.Core.Restore;

/// <summary>The values of <see cref="RestoreStats.Phase"/>, in the order a restore goes through them (machine-readable: <c>--progress-json</c>).</summary>
public static class RestorePhases
{
    /// <summary>Deciding what to write; nothing in the target has changed yet.</summary>
    public const string Planning = "planning";

    /// <summary>Creating directories and files, fetching blobs and writing their chunks.</summary>
    public const string Writing = "writing";

    /// <summary>Re-reading the restored files (<c>--verify</c>).</summary>
    public const string Verifying = "verifying";

    /// <summary>Links, <c>--delete</c>, modes, owners and times.</summary>
    public const string Finishing = "finishing";

    /// <summary>The restore is over.</summary>
    public const string Done = "done";
}
