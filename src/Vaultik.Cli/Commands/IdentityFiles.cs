using Vaultik.Core;
using Vaultik.Age;

namespace Vaultik.Cli.Commands;

/// <summary>
/// Generates identities (X25519, or hybrid post-quantum mlkem768x25519 with <c>pq</c>) and writes them in
/// age-keygen's format; identity files are mode 0600 from the first byte and never replace an existing file.
/// </summary>
internal static class IdentityFiles
{
    /// <summary>A new identity (X25519, or post-quantum with <paramref name="pq"/>) and its public key (age1… or age1pq1…).</summary>
    public static (IIdentity Identity, string PublicKey) Generate(bool pq)
    {
        if (pq)
        {
            var hybrid = MlKem768X25519Identity.Generate();
            return (hybrid, hybrid.Recipient.ToString());
        }

        var x25519 = X25519Identity.Generate();
        return (x25519, x25519.Recipient.ToString());
    }

    /// <summary>The public key of the first identity in <paramref name="path"/>, whichever type it is.</summary>
    public static string PublicKeyOf(string path) => AgeKeyFile.Load(path)[0] switch
    {
        X25519Identity x25519 => x25519.Recipient.ToString(),
        MlKem768X25519Identity hybrid => hybrid.Recipient.ToString(),
        var other => throw new ConfigurationException($"cannot use identity {path}: its first key is a {other.GetType().Name}, not an X25519 or post-quantum identity"),
    };

    /// <summary>age-keygen's format (<see cref="AgeKeyFile.Write(TextWriter, X25519Identity, DateTimeOffset)"/>): <c># created:</c>, <c># public key:</c>, then the identity.</summary>
    public static void Write(TextWriter writer, IIdentity identity, DateTimeOffset created)
    {
        switch (identity)
        {
            case MlKem768X25519Identity hybrid:
                AgeKeyFile.Write(writer, hybrid, created);
                break;
            case X25519Identity x25519:
                AgeKeyFile.Write(writer, x25519, created);
                break;
            default:
                throw new ArgumentException($"cannot write a {identity.GetType().Name} as a key file", nameof(identity));
        }
    }

    public static void WriteNew(string path, IIdentity identity)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full) || Directory.Exists(full))
        {
            throw new ConfigurationException($"cannot write identity {full}: the file already exists (refusing to overwrite a key)");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        using var stream = new FileStream(full, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        using var writer = new StreamWriter(stream);
        Write(writer, identity, DateTimeOffset.UtcNow);
    }
}
