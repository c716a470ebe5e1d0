namespace Vaultik.Core.Streams;

/// <summary>One run of an <see cref="IStreamSource"/>. Disposing it before <see cref="Complete"/> stops the producer.</summary>
public interface IOpenStream : IDisposable
{
    Stream Content { get; }

    /// <summary>Called after <see cref="Content"/> reached its end: throws a <see cref="VaultikException"/> when the producer failed.</summary>
    void Complete();
}
