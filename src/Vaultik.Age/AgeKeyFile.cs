using System.Globalization;

namespace Vaultik.Age;

/// <summary>Identity files as age-keygen writes them: <c>#</c> comments, blank lines, one key per line.</summary>
public static class AgeKeyFile
{
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
                identities.Add(X25519Identity.Parse(trimmed));
            }
            catch (FormatException ex)
            {
                throw new AgeException($"line {number}: {ex.Message}", ex);
            }
        }

        if (identities.Count == 0)
        {
            throw new AgeException("no identity found (expected a line AGE-SECRET-KEY-1…)");
        }

        return identities;
    }

    public static void Write(TextWriter writer, X25519Identity identity, DateTimeOffset created)
    {
        writer.Write(string.Create(CultureInfo.InvariantCulture, $"# created: {created.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\n"));
        writer.Write($"# public key: {identity.Recipient}\n");
        writer.Write($"{identity}\n");
        writer.Flush();
    }
}
