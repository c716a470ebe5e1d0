using System.Globalization;

namespace Vaultik.Age;

/// <summary>
/// Identity files as age-keygen writes them: <c>#</c> comments, blank lines, one key per line, each an X25519
/// (<c>AGE-SECRET-KEY-1…</c>) or a hybrid post-quantum (<c>AGE-SECRET-KEY-PQ-1…</c>) identity.
/// </summary>
public static class AgeKeyFile
{
    private const string PostQuantumPrefix = "AGE-SECRET-KEY-PQ-1";

    public static IReadOnlyList<IIdentity> Load(string path)
    {
        using var reader = new StreamReader(path);
        try
        {
            return Parse(reader);
        }
        catch (AgeException ex)
        {
            throw new AgeException($"{path}: {ex.Message}", ex);
        }
    }

    public static IReadOnlyList<IIdentity> Parse(TextReader reader)
    {
        var identities = new List<IIdentity>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            try
            {
                identities.Add(ParseIdentity(trimmed));
            }
            catch (FormatException ex)
            {
                throw new AgeException($"line {number}: {ex.Message}", ex);
            }
        }

        if (identities.Count == 0)
        {
            throw new AgeException("no identity found (expected a line AGE-SECRET-KEY-1… or AGE-SECRET-KEY-PQ-1…)");
        }

        return identities;
    }

    /// <summary>One identity's text form, X25519 or post-quantum by its prefix; <see cref="FormatException"/> otherwise.</summary>
    public static IIdentity ParseIdentity(string text) =>
        text.StartsWith(PostQuantumPrefix, StringComparison.OrdinalIgnoreCase)
            ? MlKem768X25519Identity.Parse(text)
            : X25519Identity.Parse(text);

    public static void Write(TextWriter writer, X25519Identity identity, DateTimeOffset created) =>
        Write(writer, identity.ToString(), identity.Recipient.ToString(), created);

    public static void Write(TextWriter writer, MlKem768X25519Identity identity, DateTimeOffset created) =>
        Write(writer, identity.ToString(), identity.Recipient.ToString(), created);

    private static void Write(TextWriter writer, string identity, string recipient, DateTimeOffset created)
    {
        writer.Write(string.Create(CultureInfo.InvariantCulture, $"# created: {created.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\n"));
        writer.Write($"# public key: {recipient}\n");
        writer.Write($"{identity}\n");
        writer.Flush();
    }
}
