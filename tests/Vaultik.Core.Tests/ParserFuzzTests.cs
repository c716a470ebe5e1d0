using System.Diagnostics;
using System.Text;
using Vaultik.Core.Config;
using Vaultik.Age;
using Vaultik.Core.Metadata;
using Vaultik.Core.Layout;
using AgeFile = Vaultik.Age.Age;

namespace Vaultik.Core.Tests;

/// <summary>
/// Bounded fuzzing of every parser that reads data from the store or the user: random and mutated inputs
/// may only fail with the documented exception types, and never hang.
/// </summary>
public sealed class ParserFuzzTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);

    private static IEnumerable<byte[]> Mutations(byte[] seed, int seedValue)
    {
        var random = new Random(seedValue);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Budget)
        {
            var data = (byte[])seed.Clone();
            switch (random.Next(4))
            {
                case 0:
                    data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    data = data[..random.Next(data.Length)];
                    break;
                case 2:
                    var insert = new byte[random.Next(1, 8)];
                    random.NextBytes(insert);
                    var at = random.Next(data.Length);
                    data = [.. data[..at], .. insert, .. data[at..]];
                    break;
                default:
                    data = new byte[random.Next(0, 300)];
                    random.NextBytes(data);
                    break;
            }

            yield return data;
        }
    }

    [Fact]
    public void Age_files_and_armor_fail_only_with_age_exceptions()
    {
        var identity = X25519Identity.Generate();
        using var plain = new MemoryStream();
        using (var age = AgeFile.Encrypt(plain, [identity.Recipient], leaveOpen: true))
        {
            age.Write(new byte[70_000]);
        }

        using var armored = new MemoryStream();
        using (var armor = AgeArmor.Encode(armored, leaveOpen: true))
        {
            armor.Write(plain.ToArray()[..400]);
        }

        var count = 0;
        foreach (var seed in new[] { plain.ToArray(), armored.ToArray() })
        {
            foreach (var input in Mutations(seed, count))
            {
                count++;
                try
                {
                    using var stream = AgeFile.Decrypt(new MemoryStream(input), [identity]);
                    stream.CopyTo(Stream.Null);
                }
                catch (AgeException)
                {
                    // The documented failure: header, payload or no-match.
                }
            }
        }

        Assert.True(count > 100);
    }

    [Fact]
    public void Manifests_fail_only_as_corrupt_data()
    {
        var id = SnapshotId.Create(DateTimeOffset.UtcNow, "h", "n").Value;
        var seed = ManifestCodec.Encode(new SnapshotManifest(1, id, "h", "n", DateTimeOffset.UtcNow, 1, 1, new string('a', 64), 1, [new ManifestBlob(new string('b', 64), 5)]));
        var count = 0;
        foreach (var input in Mutations(seed, 7))
        {
            count++;
            try
            {
                ManifestCodec.Decode(input, StoreLayout.ManifestKey(id));
            }
            catch (CorruptDataException)
            {
                // The documented failure.
            }
        }

        Assert.True(count > 100);
    }

    [Fact]
    public void Configs_fail_only_as_configuration_errors()
    {
        var seed = Encoding.UTF8.GetBytes(ConfigWriter.Render([X25519Identity.Generate().Recipient.ToString()], "file:///tmp/store") +
            "snapshots:\n  home:\n    paths: [/home/me]\n    exclude: ['*.tmp']\ns3:\n  region: eu-west-1\nblob_size_limit: 1GiB\n");
        var count = 0;
        foreach (var input in Mutations(seed, 11))
        {
            count++;
            try
            {
                ConfigLoader.Parse(Encoding.UTF8.GetString(input), "fuzz.yml");
            }
            catch (ConfigurationException)
            {
                // The documented failure.
            }
        }

        Assert.True(count > 100);
    }
}
