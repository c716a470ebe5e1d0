namespace Vaultik.Tests.Fuzz;

/// <summary>How one input broke a parser's contract: a short signature to tell bugs apart, and the full story.</summary>
public sealed record FuzzFailure(string Signature, string Description);
