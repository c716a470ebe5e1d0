using System.Security.Cryptography;
using System.Text;
using AgeFile = Vaultik.Age.Age;

namespace Vaultik.Age.Tests;

/// <summary>The hybrid post-quantum recipient type (mlkem768x25519): round trips, key strings, the mixing rule.</summary>
public sealed class PostQuantumTests
{
    private static byte[] Encrypt(byte[] plain, params IRecipient[] recipients)
    {
        using var output = new MemoryStream();
        using (var age = AgeFile.Encrypt(output, recipients, leaveOpen: true))
        {
            age.Write(plain);
        }

        return output.ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65536)]
    [InlineData(200_000)]
    public void A_post_quantum_recipient_round_trips(int size)
    {
        var identity = MlKem768X25519Identity.Generate();
        var plain = RandomNumberGenerator.GetBytes(size);
        var file = Encrypt(plain, identity.Recipient);
        var header = AgeHeader.Read(new MemoryStream(file));
        var stanza = Assert.Single(header.Stanzas);
        Assert.Equal("mlkem768x25519", stanza.Type);
        Assert.Equal(1120, AgeBase64.Decode(Assert.Single(stanza.Arguments))!.Length);
        Assert.Equal(32, stanza.Body.Length);
        Assert.Equal(plain, AgeRoundTripTests.Decrypt(file, identity));
    }

    [Fact]
    public void Every_post_quantum_recipient_can_decrypt_and_others_get_no_match()
    {
        var a = MlKem768X25519Identity.Generate();
        var b = MlKem768X25519Identity.Generate();
        var file = Encrypt([1, 2, 3], a.Recipient, b.Recipient);
        Assert.Equal(2, AgeHeader.Read(new MemoryStream(file)).Stanzas.Count);
        Assert.Equal([1, 2, 3], AgeRoundTripTests.Decrypt(file, a));
        Assert.Equal([1, 2, 3], AgeRoundTripTests.Decrypt(file, b));
        Assert.Equal([1, 2, 3], AgeRoundTripTests.Decrypt(file, MlKem768X25519Identity.Generate(), b));
        Assert.Throws<AgeNoIdentityMatchException>(() => AgeRoundTripTests.Decrypt(file, MlKem768X25519Identity.Generate()));
        Assert.Throws<AgeNoIdentityMatchException>(() => AgeRoundTripTests.Decrypt(file, X25519Identity.Generate()));
        Assert.Throws<AgeNoIdentityMatchException>(() => AgeRoundTripTests.Decrypt(Encrypt([4], X25519Identity.Generate().Recipient), a));
    }

    [Fact]
    public void Post_quantum_and_classic_recipients_cannot_be_mixed_on_encrypt()
    {
        var pq = MlKem768X25519Identity.Generate().Recipient;
        var classic = X25519Identity.Generate().Recipient;
        var mixed = Assert.Throws<AgeException>(() => Encrypt([1], pq, classic));
        Assert.StartsWith("cannot encrypt to these recipients: post-quantum", mixed.Message);
        Assert.Throws<AgeException>(() => Encrypt([1], classic, pq));
        Assert.Throws<AgeException>(() => Encrypt([1], pq, new ScryptRecipient("pass", logN: 2)));
    }

    [Fact]
    public void A_header_with_both_kinds_of_stanza_still_decrypts_as_the_specification_allows()
    {
        // The rule binds encryption only: the CCTV vector hybrid_and_x25519 expects success. Build such a file by hand.
        var pq = MlKem768X25519Identity.Generate();
        var classic = X25519Identity.Generate();
        var fileKey = RandomNumberGenerator.GetBytes(16);
        var stanzas = ((IRecipient)pq.Recipient).Wrap(fileKey).Concat(((IRecipient)classic.Recipient).Wrap(fileKey)).ToList();
        using var output = new MemoryStream();
        AgeHeader.Write(output, stanzas, fileKey);
        var nonce = RandomNumberGenerator.GetBytes(16);
        output.Write(nonce);
        using (var aead = new ChaCha20Poly1305(AgePrimitives.PayloadKey(fileKey, nonce)))
        {
            var nonceBytes = new byte[12];
            AgePrimitives.StreamNonce(0, last: true, nonceBytes);
            var tag = new byte[16];
            var sealedChunk = new byte[3];
            aead.Encrypt(nonceBytes, new byte[] { 7, 8, 9 }, sealedChunk, tag);
            output.Write(sealedChunk);
            output.Write(tag);
        }

        Assert.Equal([7, 8, 9], AgeRoundTripTests.Decrypt(output.ToArray(), pq));
        Assert.Equal([7, 8, 9], AgeRoundTripTests.Decrypt(output.ToArray(), classic));
    }

    [Fact]
    public void Keys_round_trip_through_their_text_forms()
    {
        var identity = MlKem768X25519Identity.Generate();
        var text = identity.ToString();
        Assert.StartsWith("AGE-SECRET-KEY-PQ-1", text);
        Assert.Equal(text, MlKem768X25519Identity.Parse(text).ToString());
        var recipient = identity.Recipient.ToString();
        Assert.StartsWith("age1pq1", recipient);
        Assert.Equal(1959, recipient.Length);
        Assert.Equal(recipient, MlKem768X25519Identity.Parse(text).Recipient.ToString());
        Assert.Equal(recipient, MlKem768X25519Recipient.Parse(recipient).ToString());
        Assert.True(MlKem768X25519Recipient.TryParse(recipient, out _));
        var broken = recipient[..^1] + (recipient[^1] == 'q' ? 'p' : 'q');
        Assert.False(MlKem768X25519Recipient.TryParse(broken, out _));
        Assert.False(MlKem768X25519Recipient.TryParse(recipient.ToUpperInvariant(), out _));
        Assert.False(MlKem768X25519Recipient.TryParse(X25519Identity.Generate().Recipient.ToString(), out _));
        Assert.False(X25519Recipient.TryParse(recipient, out _));
        Assert.Throws<FormatException>(() => MlKem768X25519Recipient.Parse("age1pq1nonsense"));
        Assert.Throws<FormatException>(() => MlKem768X25519Identity.Parse(text.ToLowerInvariant()));
        Assert.Throws<FormatException>(() => MlKem768X25519Identity.Parse(X25519Identity.Generate().ToString()));
        Assert.Throws<FormatException>(() => X25519Identity.Parse(text));
    }

    [Fact]
    public void The_specification_example_identity_gives_its_example_recipient()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", "pq-keys", "spec-example.txt"))
            .Where(l => !l.StartsWith('#')).ToList();
        Assert.Equal(lines[1], MlKem768X25519Identity.Parse(lines[0]).Recipient.ToString());
    }

    [Fact]
    public void A_recipient_whose_ml_kem_key_is_not_canonical_is_refused()
    {
        var key = new byte[1216];
        key[0] = 0xff;
        key[1] = 0x0f; // first coefficient 4095 >= 3329
        Assert.False(MlKem768X25519Recipient.TryParse(Bech32.Encode("age1pq", key), out _));
        key[0] = 0;
        key[1] = 0;
        Assert.True(MlKem768X25519Recipient.TryParse(Bech32.Encode("age1pq", key), out _));
    }

    [Fact]
    public void Key_files_hold_post_quantum_identities_next_to_x25519_ones()
    {
        var pq = MlKem768X25519Identity.Generate();
        var classic = X25519Identity.Generate();
        using var written = new StringWriter();
        AgeKeyFile.Write(written, pq, DateTimeOffset.UnixEpoch);
        AgeKeyFile.Write(written, classic, DateTimeOffset.UnixEpoch);
        Assert.Contains($"# public key: {pq.Recipient}\n", written.ToString());
        var identities = AgeKeyFile.Parse(new StringReader(written.ToString()));
        Assert.Equal(pq.ToString(), Assert.IsType<MlKem768X25519Identity>(identities[0]).ToString());
        Assert.Equal(classic.ToString(), Assert.IsType<X25519Identity>(identities[1]).ToString());
        Assert.Equal([5], AgeRoundTripTests.Decrypt(Encrypt([5], pq.Recipient), [.. identities]));
        var bad = Assert.Throws<AgeException>(() => AgeKeyFile.Parse(new StringReader("AGE-SECRET-KEY-PQ-1QQQQ\n")));
        Assert.StartsWith("line 1:", bad.Message);
    }

    [SkippableFact]
    public void The_portable_sha3_matches_the_platform_one()
    {
        var data = Encoding.ASCII.GetBytes("age-encryption.org/mlkem768x25519");
        Skip.IfNot(SHA3_256.IsSupported && Shake256.IsSupported, "the platform has no SHA-3 to compare with");
        Assert.Equal(SHA3_256.HashData(data), Sha3.PortableSha3_256(data));
        Assert.Equal(Shake256.HashData(data, 96), Sha3.PortableShake256(data, 96));
    }
}
