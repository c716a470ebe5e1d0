namespace Vaultik.Core.Browse;

/// <summary>The outcome of a dump: members written (0 for a plain file), content bytes, and entries refused (each reported).</summary>
public sealed record DumpResult(long Members, long ContentBytes, int Refused);
