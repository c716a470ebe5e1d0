namespace Vaultik.Bench;

/// <summary>Deterministic inputs for the benchmarks: random bytes and compressible text-like bytes.</summary>
public static class BenchData
{
    public const int Size = 64 << 20;

    public static byte[] Random(int size = Size, int seed = 1)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>Words from a small vocabulary with numbers: compresses about 3:1 with zstd, like source code or logs.</summary>
    public static byte[] Text(int size = Size, int seed = 2)
    {
        string[] words = ["the", "backup", "store", "chunk", "blob", "snapshot", "encrypt", "file", "index", "restore", "error", "value", "return", "public", "static", "void", "int", "string", "namespace", "class"];
        var random = new Random(seed);
        var data = new byte[size];
        var i = 0;
        while (i < size)
        {
            var word = random.Next(10) == 0 ? random.Next(100000).ToString(System.Globalization.CultureInfo.InvariantCulture) : words[random.Next(words.Length)];
            foreach (var c in word)
            {
                if (i < size)
                {
                    data[i++] = (byte)c;
                }
            }

            if (i < size)
            {
                data[i++] = (byte)(random.Next(12) == 0 ? '\n' : ' ');
            }
        }

        return data;
    }
}
