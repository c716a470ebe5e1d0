using System.Globalization;
using Vaultik.Core;
using Vaultik.Age;

namespace Vaultik.Cli.Commands;

/// <summary>
/// Generates identities (X25519, or hybrid post-quantum mlkem768x25519 with <c>pq</c>) and writes them in
/// age-keygen's format; identity files are mode 0600 from the first byte and never replace an existing file.
/// </summary>
internal static class IdentityFiles
{
    /// <summary>A new identity: its secret text (AGE-SECRET-KEY-1… or AGE-SECRET-KEY-PQ-1…) and public key (age1… or age1pq1…).</summary>
    public static (string Secret, string PublicKey) Generate(bool pq)
    {
        if (pq)
        {
            var hybrid = MlKem768X25519Identity.Generate();
            return (hybrid.ToString(), hybrid.Recipient.ToString());
        }

        var x25519 = X25519Identity.Generate();
        return (x25519.ToString(), x25519.Recipient.ToString());
    }

    /// <summary>The public key of the first identity in <paramref name="path"/>, whichever type it is.</summary>
    public static string PublicKeyOf(string path) => AgeKeyFile.Load(path)[0] switch
    {
        X25519Identity x25519 => x25519.Recipient.ToString(),
        MlKem768X25519Identity hybrid => hybrid.Recipient.ToString(),
        var other => throw new ConfigurationException($"cannot use identity {path}: its first key is a {other.GetType().Name}, not an X25519 or post-quantum identity"),
    };

    /// <summary>age-keygen's format: <c># created:</c>, <c># public key:</c>, then the identity.</summary>
    public static void Write(TextWriter writer, string secret, string publicKey, DateTimeOffset created)
    {
        writer.Write(string.Create(CultureInfo.InvariantCulture, $"# created: {created.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\n"));
        writer.Write($"# public key: {publicKey}\n");
        writer.Write($"{secret}\n");
        writer.Flush();
    }

    public static void WriteNew(string path, string secret, string publicKey)
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
        Write(writer, secret, publicKey, DateTimeOffset.UtcNow);
    }
}
