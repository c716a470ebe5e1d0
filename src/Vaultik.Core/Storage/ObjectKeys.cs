namespace Vaultik.Core.Storage;

/// <summary>Rules every store applies to keys: relative, '/'-separated, no empty, '.' or '..' segments.</summary>
public static class ObjectKeys
{
    public static void Validate(string key)
    {
        if (key.Length == 0 || key.Length > 1024 || key[0] == '/' || key.Contains('\\', StringComparison.Ordinal) || key.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"invalid object key '{key}'", nameof(key));
        }

        foreach (var part in key.Split('/'))
        {
            if (part.Length == 0 || part == "." || part == "..")
            {
                throw new ArgumentException($"invalid object key '{key}'", nameof(key));
            }
        }
    }
}
