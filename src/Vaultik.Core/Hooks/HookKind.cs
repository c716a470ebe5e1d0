namespace Vaultik.Core.Hooks;

/// <summary>When a hook runs: before a snapshot, after a successful one, or after a failed or skipped one.</summary>
public enum HookKind
{
    Before,
    After,
    OnFailure,
}
