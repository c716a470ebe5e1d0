using Vaultik.Age;

namespace Vaultik.Core.Search;

/// <summary>
/// What the metadata cache needs from the identity: a MAC key derived from its secret (so only its holder can
/// make or alter an entry that verifies) and its own recipient (so an encrypted entry opens with it alone).
/// </summary>
public sealed class CacheCredentials
{
    private CacheCredentials(byte[] macKey, IRecipient recipient)
    {
        MacKey = macKey;
        Recipient = recipient;
    }

    public byte[] MacKey { get; }

    public IRecipient Recipient { get; }

    /// <summary>From the first X25519 or post-quantum identity; null when there is none (a passphrase identity: no cache).</summary>
    public static CacheCredentials? From(IReadOnlyList<IIdentity> identities)
    {
        foreach (var identity in identities)
        {
            switch (identity)
            {
                case X25519Identity x:
                    return new CacheCredentials(x.DeriveKey(Purpose), x.Recipient);
                case MlKem768X25519Identity pq:
                    return new CacheCredentials(pq.DeriveKey(Purpose), pq.Recipient);
            }
        }

        return null;
    }

    private const string Purpose = "metadata-cache-mac-v1";
}
