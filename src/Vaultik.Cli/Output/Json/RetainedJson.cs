namespace Vaultik.Cli.Output;

/// <summary>One element of the <c>retained</c> arrays of `prune --json` and `snapshot purge --json`: an object Object Lock kept from being deleted.</summary>
internal sealed record RetainedJson(string Key, DateTimeOffset? RetainUntil);
