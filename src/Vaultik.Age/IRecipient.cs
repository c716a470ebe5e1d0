namespace Vaultik.Age;

/// <summary>
/// Something a file key can be encrypted to: <see cref="X25519Recipient"/> or <see cref="ScryptRecipient"/>.
/// Its one member is internal (stanzas are a private part of the format), so the set is closed: no plugins.
/// </summary>
public interface IRecipient
{
    /// <summary>The stanzas that carry <paramref name="fileKey"/> for this recipient.</summary>
    internal IReadOnlyList<Stanza> Wrap(ReadOnlySpan<byte> fileKey);
}
