namespace Vaultik.Cli.Output;

/// <summary>A suspect snapshot `snapshot purge --json` leaves alone, with the reason it is suspect.</summary>
internal sealed record PurgeSuspectJson(string Id, string Reason);
