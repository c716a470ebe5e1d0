using System.Security.Cryptography;
using Vaultik.Age;
using AgeFile = Vaultik.Age.Age;

namespace Vaultik.Age.Tests;

public sealed class AgeRoundTripTests
{
    public static readonly TheoryData<int> Sizes = new() { 0, 1, 65535, 65536, 65537, 10 << 20 };

    private static byte[] Encrypt(byte[] plain, params IRecipient[] recipients)
    {
        using var output = new MemoryStream();
        using (var age = AgeFile.Encrypt(output, recipients, leaveOpen: true))
        {
            // Uneven writes exercise the chunk buffering.
            for (var offset = 0; offset < plain.Length;)
            {
                var n = Math.Min(plain.Length - offset, 7919);
                age.Write(plain, offset, n);
                offset += n;
            }
        }

        return output.ToArray();
    }

    /// <summary>Decrypts a whole age file in memory (shared with the other age test classes).</summary>
    internal static byte[] Decrypt(byte[] file, params IIdentity[] identities)
    {
        using var age = AgeFile.Decrypt(new MemoryStream(file), identities);
        using var output = new MemoryStream();
        age.CopyTo(output);
        return output.ToArray();
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Encrypt_then_decrypt_gives_the_plaintext_back(int size)
    {
        var plain = RandomNumberGenerator.GetBytes(size);
        var identity = X25519Identity.Generate();
        var file = Encrypt(plain, identity.Recipient);
        var chunks = Math.Max(1, (size + 65535) / 65536);
        Assert.Equal(size + (16 * chunks) + 16, file.Length - (int)AgeHeader.Read(new MemoryStream(file)).Length);
        Assert.Equal(plain, Decrypt(file, identity));
    }

    [Fact]
    public void Every_recipient_can_decrypt_and_others_get_no_match()
    {
        var a = X25519Identity.Generate();
        var b = X25519Identity.Generate();
        var file = Encrypt([1, 2, 3], a.Recipient, b.Recipient);
        Assert.Equal([1, 2, 3], Decrypt(file, a));
        Assert.Equal([1, 2, 3], Decrypt(file, b));
        Assert.Throws<AgeNoIdentityMatchException>(() => Decrypt(file, X25519Identity.Generate()));
    }

    [Fact]
    public void A_flipped_payload_byte_or_a_truncation_is_a_payload_failure()
    {
        var identity = X25519Identity.Generate();
        var file = Encrypt(RandomNumberGenerator.GetBytes(200_000), identity.Recipient);
        var flipped = (byte[])file.Clone();
        flipped[^5000] ^= 0x40;
        Assert.Throws<AgePayloadException>(() => Decrypt(flipped, identity));
        Assert.Throws<AgePayloadException>(() => Decrypt(file[..^1000], identity));
        Assert.Throws<AgePayloadException>(() => Decrypt([.. file, 0], identity));
    }

    [Fact]
    public void A_modified_header_fails_its_mac()
    {
        var identity = X25519Identity.Generate();
        var file = Encrypt([9, 9, 9], identity.Recipient, X25519Identity.Generate().Recipient);
        var text = System.Text.Encoding.ASCII.GetString(file);
        var secondStanza = text.IndexOf("-> X25519 ", 30, StringComparison.Ordinal);
        file[secondStanza + 12] = (byte)(file[secondStanza + 12] == (byte)'A' ? 'B' : 'A');
        Assert.ThrowsAny<AgeException>(() => Decrypt(file, identity));
    }

    [Fact]
    public void Armor_round_trips()
    {
        var identity = X25519Identity.Generate();
        var plain = RandomNumberGenerator.GetBytes(1000);
        using var armored = new MemoryStream();
        using (var armor = AgeArmor.Encode(armored, leaveOpen: true))
        using (var age = AgeFile.Encrypt(armor, [identity.Recipient], leaveOpen: true))
        {
            age.Write(plain);
        }

        var text = System.Text.Encoding.ASCII.GetString(armored.ToArray());
        Assert.StartsWith("-----BEGIN AGE ENCRYPTED FILE-----\n", text);
        Assert.EndsWith("-----END AGE ENCRYPTED FILE-----\n", text);
        Assert.Equal(plain, Decrypt(armored.ToArray(), identity));
    }

    [Fact]
    public void Keys_round_trip_through_their_text_forms()
    {
        var identity = X25519Identity.Generate();
        var again = X25519Identity.Parse(identity.ToString());
        Assert.Equal(identity.Recipient.ToString(), again.Recipient.ToString());
        Assert.StartsWith("AGE-SECRET-KEY-1", identity.ToString());
        Assert.StartsWith("age1", identity.Recipient.ToString());
        Assert.Equal(62, identity.Recipient.ToString().Length);
        Assert.True(X25519Recipient.TryParse(identity.Recipient.ToString(), out _));
        var broken = identity.Recipient.ToString()[..^1] + (identity.Recipient.ToString()[^1] == 'q' ? 'p' : 'q');
        Assert.False(X25519Recipient.TryParse(broken, out _));
        Assert.False(X25519Recipient.TryParse(identity.Recipient.ToString().ToUpperInvariant(), out _));
    }

    [Fact]
    public void Random_ranges_decrypt_like_the_sequential_stream()
    {
        var identity = X25519Identity.Generate();
        foreach (var size in new[] { 1, 65536, 65537, 3 * 65536, 1_000_000 })
        {
            var plain = RandomNumberGenerator.GetBytes(size);
            var file = Encrypt(plain, identity.Recipient);
            var header = AgeHeader.Read(new MemoryStream(file));
            var key = header.UnwrapFileKey([identity]);
            var payloadStart = header.Length + 16;
            using var reader = new AgePayloadReader(key, file.AsSpan((int)header.Length, 16), file.Length - payloadStart);
            Assert.Equal(size, reader.PlaintextLength);
            var random = new Random(size);
            for (var i = 0; i < 20; i++)
            {
                var offset = random.Next(size);
                var length = random.Next(1, size - offset + 1);
                var (first, count) = AgePayloadReader.ChunksCovering(offset, length);
                var assembled = new List<byte>();
                var chunk = new byte[AgePayloadReader.ChunkSize];
                for (var c = first; c < first + count; c++)
                {
                    var start = (int)(payloadStart + reader.CiphertextOffsetOfChunk(c));
                    var n = reader.DecryptChunk(c, file.AsSpan(start, reader.CiphertextLengthOfChunk(c)), chunk);
                    assembled.AddRange(chunk.AsSpan(0, n).ToArray());
                }

                var skip = (int)(offset - (first * AgePayloadReader.ChunkSize));
                Assert.Equal(plain.AsSpan(offset, length).ToArray(), assembled.GetRange(skip, length).ToArray());
            }
        }
    }
}
