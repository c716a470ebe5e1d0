namespace Vaultik.Age;

/// <summary>Something a file key can be encrypted to: returns the stanzas that carry it.</summary>
public interface IRecipient
{
    IReadOnlyList<Stanza> Wrap(ReadOnlySpan<byte> fileKey);
}
