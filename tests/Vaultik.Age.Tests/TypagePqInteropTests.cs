using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Vaultik.Age.Tests;

/// <summary>
/// mlkem768x25519 (hybrid post-quantum, <c>age1pq1…</c>) interop both ways with typage (npm age-encryption
/// 0.3.1, through tests/interop/age-node.mjs): byte-exact plaintext, binary and armored, across the 64 KiB
/// chunk boundary, and key files both ways. Helpers are shared with <see cref="TypageInteropTests"/>.
/// </summary>
public sealed class TypagePqInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vaultik-typage-pq-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static readonly TheoryData<int> Sizes = new() { 0, 1, 65535, 65536, 65537, 1 << 20 };

    private string WriteKeyFile(string name, string identity, string recipient)
    {
        var path = Path.Combine(_dir, name);
        var created = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        File.WriteAllText(path, $"# created: {created}\n# public key: {recipient}\n{identity}\n");
        return path;
    }

    private static string HeaderOf(byte[] file)
    {
        var text = Encoding.ASCII.GetString(file);
        return text[..(text.IndexOf("\n---", StringComparison.Ordinal) + 1)];
    }

    [SkippableTheory]
    [MemberData(nameof(Sizes))]
    public async Task Files_vaultik_encrypts_to_a_typage_pq_recipient_decrypt_with_typage(int size)
    {
        TypageCli.Require();
        var (identity, recipient) = await TypageCli.KeygenAsync(pq: true);
        Assert.StartsWith("age1pq1", recipient, StringComparison.Ordinal);
        var keyFile = WriteKeyFile("typage-pq.txt", identity, recipient);
        var plain = RandomNumberGenerator.GetBytes(size);
        foreach (var armor in new[] { false, true })
        {
            var file = TypageInteropTests.VaultikEncrypt(plain, armor, MlKem768X25519Recipient.Parse(recipient));
            var (code, stdout, stderr) = await TypageCli.DecryptAsync(file, keyFile);
            Assert.True(code == 0, stderr);
            Assert.Equal(plain, stdout);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Sizes))]
    public async Task Files_typage_encrypts_to_a_vaultik_pq_recipient_decrypt_with_vaultik(int size)
    {
        TypageCli.Require();
        var identity = MlKem768X25519Identity.Generate();
        var plain = RandomNumberGenerator.GetBytes(size);
        foreach (var armor in new[] { false, true })
        {
            var file = await TypageCli.EncryptAsync(plain, armor, identity.Recipient.ToString());
            Assert.Equal(plain, TypageInteropTests.VaultikDecrypt(file, identity));
        }
    }

    [SkippableFact]
    public async Task Vaultik_writes_one_mlkem768x25519_stanza_per_pq_recipient()
    {
        TypageCli.Require();
        var (_, recipient) = await TypageCli.KeygenAsync(pq: true);
        var file = TypageInteropTests.VaultikEncrypt([], armor: false, MlKem768X25519Recipient.Parse(recipient));
        var stanzas = HeaderOf(file).Split('\n').Where(l => l.StartsWith("-> ", StringComparison.Ordinal)).ToArray();
        Assert.Equal("mlkem768x25519", Assert.Single(stanzas).Split(' ')[1]);
    }

    [SkippableFact]
    public async Task Pq_key_files_load_in_both_implementations()
    {
        TypageCli.Require();
        var vaultik = MlKem768X25519Identity.Generate();
        Assert.StartsWith("AGE-SECRET-KEY-PQ-1", vaultik.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("age1pq1", vaultik.Recipient.ToString(), StringComparison.Ordinal);
        var vaultikKeys = WriteKeyFile("vaultik-pq.txt", vaultik.ToString(), vaultik.Recipient.ToString());
        var plain = RandomNumberGenerator.GetBytes(1000);
        var fromVaultik = TypageInteropTests.VaultikEncrypt(plain, armor: false, vaultik.Recipient);
        var (code, stdout, stderr) = await TypageCli.DecryptAsync(fromVaultik, vaultikKeys);
        Assert.True(code == 0, stderr);
        Assert.Equal(plain, stdout);

        var (identity, recipient) = await TypageCli.KeygenAsync(pq: true);
        var loaded = Assert.IsType<MlKem768X25519Identity>(Assert.Single(AgeKeyFile.Load(WriteKeyFile("typage-pq.txt", identity, recipient))));
        Assert.Equal(identity, loaded.ToString());
        Assert.Equal(recipient, loaded.Recipient.ToString());
        Assert.Equal(recipient, MlKem768X25519Recipient.Parse(recipient).ToString());
        var fromTypage = await TypageCli.EncryptAsync(plain, false, recipient);
        Assert.Equal(plain, TypageInteropTests.VaultikDecrypt(fromTypage, loaded));
    }

    [SkippableFact]
    public async Task Files_to_two_pq_recipients_decrypt_with_either_implementation_s_identity()
    {
        TypageCli.Require();
        var (typageIdentity, typageRecipient) = await TypageCli.KeygenAsync(pq: true);
        var typageKeys = WriteKeyFile("typage-pq.txt", typageIdentity, typageRecipient);
        var vaultik = MlKem768X25519Identity.Generate();
        var plain = RandomNumberGenerator.GetBytes(70_000);

        var fromVaultik = TypageInteropTests.VaultikEncrypt(plain, armor: false, vaultik.Recipient, MlKem768X25519Recipient.Parse(typageRecipient));
        var (code, stdout, stderr) = await TypageCli.DecryptAsync(fromVaultik, typageKeys);
        Assert.True(code == 0, stderr);
        Assert.Equal(plain, stdout);
        Assert.Equal(plain, TypageInteropTests.VaultikDecrypt(fromVaultik, vaultik));

        var fromTypage = await TypageCli.EncryptAsync(plain, false, typageRecipient, vaultik.Recipient.ToString());
        Assert.Equal(plain, TypageInteropTests.VaultikDecrypt(fromTypage, vaultik));
    }

    [SkippableFact]
    public async Task Pq_files_for_another_identity_are_refused_by_both_implementations()
    {
        TypageCli.Require();
        var (otherIdentity, otherRecipient) = await TypageCli.KeygenAsync(pq: true);
        var (x25519Identity, x25519Recipient) = await TypageCli.KeygenAsync();
        var otherKeys = WriteKeyFile("other-pq.txt", otherIdentity, otherRecipient);
        var x25519Keys = WriteKeyFile("x25519.txt", x25519Identity, x25519Recipient);
        var plain = RandomNumberGenerator.GetBytes(100);

        var fromVaultik = TypageInteropTests.VaultikEncrypt(plain, armor: false, MlKem768X25519Identity.Generate().Recipient);
        foreach (var keys in new[] { otherKeys, x25519Keys })
        {
            var (code, stdout, _) = await TypageCli.DecryptAsync(fromVaultik, keys);
            Assert.NotEqual(0, code);
            Assert.Empty(stdout);
        }

        var fromTypage = await TypageCli.EncryptAsync(plain, false, otherRecipient);
        Assert.Throws<AgeNoIdentityMatchException>(() => TypageInteropTests.VaultikDecrypt(fromTypage, MlKem768X25519Identity.Generate()));
        Assert.Throws<AgeNoIdentityMatchException>(() => TypageInteropTests.VaultikDecrypt(fromTypage, X25519Identity.Generate()));
    }
}
