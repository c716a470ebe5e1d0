namespace Vaultik.Age;

/// <summary>One recipient stanza of an age header: <c>-&gt; Type arg…</c> and its wrapped-key body.</summary>
internal sealed record Stanza(string Type, IReadOnlyList<string> Arguments, byte[] Body);
