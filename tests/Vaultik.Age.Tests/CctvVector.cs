using System.IO.Compression;
using System.Text;

namespace Vaultik.Age.Tests;

/// <summary>One C2SP CCTV age test vector: "key: value" header lines, a blank line, then the (maybe zlib-compressed) file.</summary>
public sealed record CctvVector(string Name, string Expect, string? Payload, IReadOnlyList<string> Identities, IReadOnlyList<string> Passphrases, bool Armored, byte[] File)
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "TestData", "age-cctv");

    public static CctvVector Load(string name)
    {
        var bytes = System.IO.File.ReadAllBytes(Path.Combine(Directory, name));
        var split = bytes.AsSpan().IndexOf("\n\n"u8);
        var header = Encoding.UTF8.GetString(bytes, 0, split);
        var body = bytes[(split + 2)..];
        var fields = header.Split('\n').Select(l => l.Split(": ", 2)).ToList();
        string? One(string key) => fields.FirstOrDefault(f => f[0] == key)?[1];
        IReadOnlyList<string> All(string key) => fields.Where(f => f[0] == key).Select(f => f[1]).ToList();
        if (One("compressed") == "zlib")
        {
            using var z = new ZLibStream(new MemoryStream(body), CompressionMode.Decompress);
            using var output = new MemoryStream();
            z.CopyTo(output);
            body = output.ToArray();
        }

        return new CctvVector(name, One("expect")!, One("payload"), All("identity"), All("passphrase"), One("armored") == "yes", body);
    }

    /// <summary>Every vector, the post-quantum hybrid (mlkem768x25519) ones included.</summary>
    public static IEnumerable<string> Names() => System.IO.Directory.GetFiles(Directory)
        .Select(Path.GetFileName)
        .Where(n => n is not null && n != "README.md")
        .Select(n => n!)
        .Order(StringComparer.Ordinal);
}
