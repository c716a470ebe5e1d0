namespace Vaultik.Core.Hooks;

/// <summary>A hook exited non-zero, could not be started, or ran past <c>hook_timeout</c> (an error: exit 1).</summary>
public sealed class HookFailedException(string message) : VaultikException(message);
