using Vaultik.Tests.Fuzz;
using AgeFile = Vaultik.Age.Age;

namespace Vaultik.Age.Tests.Fuzz;

/// <summary>The fixed age files every age fuzz target starts from (made once, then read from TestData/fuzz-corpus/age).</summary>
internal static class AgeFuzzCorpus
{
    /// <summary>Binary age files: empty, one short chunk, just over one chunk (two recipients), three chunks.</summary>
    public static IReadOnlyList<byte[]> Binary { get; } =
    [
        FuzzFiles.CorpusFile("age", "empty.age", () => Encrypt(0)),
        FuzzFiles.CorpusFile("age", "short.age", () => Encrypt(100)),
        FuzzFiles.CorpusFile("age", "two-chunks.age", () => Encrypt(65_600, FuzzKeys.Other.Recipient)),
        FuzzFiles.CorpusFile("age", "three-chunks.age", () => Encrypt(140_000)),
    ];

    /// <summary>Armored age files: empty and two lines' worth of payload.</summary>
    public static IReadOnlyList<byte[]> Armored { get; } =
    [
        FuzzFiles.CorpusFile("age", "empty.age.asc", () => Armor(Binary[0])),
        FuzzFiles.CorpusFile("age", "short.age.asc", () => Armor(Binary[1])),
    ];

    private static byte[] Encrypt(int length, params IRecipient[] more)
    {
        using var output = new MemoryStream();
        using (var age = AgeFile.Encrypt(output, [FuzzKeys.Identity.Recipient, .. more], leaveOpen: true))
        {
            var plain = new byte[length];
            new Random(length).NextBytes(plain);
            age.Write(plain);
        }

        return output.ToArray();
    }

    private static byte[] Armor(byte[] binary)
    {
        using var output = new MemoryStream();
        using (var armor = AgeArmor.Encode(output, leaveOpen: true))
        {
            armor.Write(binary);
        }

        return output.ToArray();
    }
}
