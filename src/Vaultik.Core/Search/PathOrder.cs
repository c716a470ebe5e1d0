namespace Vaultik.Core.Search;

/// <summary>
/// The order SQLite's BINARY collation gives the metadata's paths (UTF-8 bytes, which is Unicode code point
/// order), for C# code that merges ordered streams with SQL results: ordinal UTF-16 order differs for characters
/// above U+FFFF against those in U+E000–U+FFFF, so surrogates are moved above the rest of the BMP.
/// </summary>
public sealed class PathOrder : IComparer<string>
{
    public static readonly PathOrder Instance = new();

    private PathOrder()
    {
    }

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        var n = Math.Min(x.Length, y.Length);
        for (var i = 0; i < n; i++)
        {
            if (x[i] != y[i])
            {
                return Weight(x[i]) - Weight(y[i]);
            }
        }

        return x.Length - y.Length;
    }

    private static int Weight(char c) => c < 0xD800 ? c : c >= 0xE000 ? c - 0x800 : c + 0x2000;
}
