namespace Vaultik.Age;

/// <summary>
/// Something that can recover a file key from a header's stanzas: <see cref="X25519Identity"/> or
/// <see cref="ScryptIdentity"/>. Its one member is internal (stanzas are a private part of the format), so
/// the set of identity types is closed: no plugins.
/// </summary>
public interface IIdentity
{
    /// <summary>Null when no stanza is for this identity; throws <see cref="AgeHeaderException"/> for a malformed stanza of its own type.</summary>
    internal byte[]? Unwrap(IReadOnlyList<Stanza> stanzas);
}
