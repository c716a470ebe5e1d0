namespace Vaultik.Core.Streams;

/// <summary>Where a stream snapshot's bytes come from; opened once per snapshot run.</summary>
public interface IStreamSource
{
    /// <summary>For messages: "standard input" or "command 'pg_dump'".</summary>
    string Description { get; }

    /// <summary>Starts producing (runs the command); the caller reads <see cref="IOpenStream.Content"/> to its end.</summary>
    IOpenStream Open();
}
