namespace Vaultik.Age;

/// <summary>
/// Something that can recover a file key from a header's stanzas. Returns null when no stanza is for it;
/// throws <see cref="AgeHeaderException"/> for a malformed stanza of its own type.
/// </summary>
public interface IIdentity
{
    byte[]? Unwrap(IReadOnlyList<Stanza> stanzas);
}
