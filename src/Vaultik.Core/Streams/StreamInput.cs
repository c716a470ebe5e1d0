namespace Vaultik.Core.Streams;

/// <summary>A stream snapshot's input: its source and the snapshot path it is stored as (checked by <see cref="StreamFileName"/>).</summary>
public sealed record StreamInput(string FileName, IStreamSource Source);
