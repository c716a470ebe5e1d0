namespace Vaultik.Cli.Output;

/// <summary>`keygen --json`.</summary>
internal sealed record KeygenJson(string PublicKey, string? IdentityFile);
