using System.Security.Cryptography;
using AgeFile = Vaultik.Age.Age;

namespace Vaultik.Age.Tests;

/// <summary>
/// X25519 interop both ways with typage, a second independent age implementation (npm age-encryption 0.3.1,
/// through tests/interop/age-node.mjs): byte-exact plaintext, binary and armored, across the 64 KiB chunk
/// boundary. The post-quantum cases are in TypagePqInteropTests.
/// </summary>
public sealed class TypageInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vaultik-typage-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static readonly TheoryData<int> Sizes = new() { 0, 1, 65535, 65536, 65537, 1 << 20 };

    internal static byte[] VaultikEncrypt(byte[] plain, bool armor, params IRecipient[] recipients)
    {
        using var file = new MemoryStream();
        using (var armored = armor ? AgeArmor.Encode(file, leaveOpen: true) : null)
        using (var age = AgeFile.Encrypt(armored ?? file, recipients, leaveOpen: true))
        {
            age.Write(plain);
        }

        return file.ToArray();
    }

    internal static byte[] VaultikDecrypt(byte[] file, params IIdentity[] identities)
    {
        using var input = new MemoryStream(file);
        using var age = AgeFile.Decrypt(input, identities);
        using var output = new MemoryStream();
        age.CopyTo(output);
        return output.ToArray();
    }

    private string WriteIdentityFile(string name, string identity)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, $"# created by typage\n{identity}\n");
        return path;
    }

    [SkippableTheory]
    [MemberData(nameof(Sizes))]
    public async Task Files_vaultik_encrypts_to_a_typage_recipient_decrypt_with_typage(int size)
    {
        TypageCli.Require();
        var (identity, recipient) = await TypageCli.KeygenAsync();
        var keyFile = WriteIdentityFile("typage.txt", identity);
        var plain = RandomNumberGenerator.GetBytes(size);
        foreach (var armor in new[] { false, true })
        {
            var file = VaultikEncrypt(plain, armor, X25519Recipient.Parse(recipient));
            var (code, stdout, stderr) = await TypageCli.DecryptAsync(file, keyFile);
            Assert.True(code == 0, stderr);
            Assert.Equal(plain, stdout);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Sizes))]
    public async Task Files_typage_encrypts_to_a_vaultik_recipient_decrypt_with_vaultik(int size)
    {
        TypageCli.Require();
        var identity = X25519Identity.Generate();
        var plain = RandomNumberGenerator.GetBytes(size);
        foreach (var armor in new[] { false, true })
        {
            var file = await TypageCli.EncryptAsync(plain, armor, identity.Recipient.ToString());
            Assert.Equal(armor, AgeArmor.IsArmored(file));
            Assert.Equal(plain, VaultikDecrypt(file, identity));
        }
    }

    [SkippableFact]
    public async Task Key_files_vaultik_writes_load_in_typage_and_typage_keys_parse_in_vaultik()
    {
        TypageCli.Require();
        var vaultik = X25519Identity.Generate();
        var keyFile = Path.Combine(_dir, "vaultik.txt");
        using (var writer = new StreamWriter(keyFile))
        {
            AgeKeyFile.Write(writer, vaultik, DateTimeOffset.UtcNow);
        }

        var plain = RandomNumberGenerator.GetBytes(1000);
        var (code, stdout, stderr) = await TypageCli.DecryptAsync(VaultikEncrypt(plain, armor: false, vaultik.Recipient), keyFile);
        Assert.True(code == 0, stderr);
        Assert.Equal(plain, stdout);

        var (identity, recipient) = await TypageCli.KeygenAsync();
        var parsed = X25519Identity.Parse(identity);
        Assert.Equal(recipient, parsed.Recipient.ToString());
        Assert.Equal(identity, parsed.ToString());
        var loaded = AgeKeyFile.Load(WriteIdentityFile("typage.txt", identity));
        Assert.Equal(recipient, Assert.IsType<X25519Identity>(Assert.Single(loaded)).Recipient.ToString());
    }

    [SkippableFact]
    public async Task Files_to_several_recipients_decrypt_with_each_implementation_s_identity()
    {
        TypageCli.Require();
        var (typageIdentity, typageRecipient) = await TypageCli.KeygenAsync();
        var typageKeys = WriteIdentityFile("typage.txt", typageIdentity);
        var vaultik = X25519Identity.Generate();
        var plain = RandomNumberGenerator.GetBytes(70_000);

        var fromVaultik = VaultikEncrypt(plain, armor: false, vaultik.Recipient, X25519Recipient.Parse(typageRecipient));
        var (code, stdout, stderr) = await TypageCli.DecryptAsync(fromVaultik, typageKeys);
        Assert.True(code == 0, stderr);
        Assert.Equal(plain, stdout);
        Assert.Equal(plain, VaultikDecrypt(fromVaultik, vaultik));

        var fromTypage = await TypageCli.EncryptAsync(plain, false, typageRecipient, vaultik.Recipient.ToString());
        Assert.Equal(plain, VaultikDecrypt(fromTypage, vaultik));
    }

    [SkippableFact]
    public async Task Files_for_another_recipient_are_refused_by_both_implementations()
    {
        TypageCli.Require();
        var (otherIdentity, otherRecipient) = await TypageCli.KeygenAsync();
        var otherKeys = WriteIdentityFile("other.txt", otherIdentity);
        var plain = RandomNumberGenerator.GetBytes(100);

        var fromVaultik = VaultikEncrypt(plain, armor: false, X25519Identity.Generate().Recipient);
        var (code, stdout, _) = await TypageCli.DecryptAsync(fromVaultik, otherKeys);
        Assert.NotEqual(0, code);
        Assert.Empty(stdout);

        var fromTypage = await TypageCli.EncryptAsync(plain, false, otherRecipient);
        Assert.Throws<AgeNoIdentityMatchException>(() => VaultikDecrypt(fromTypage, X25519Identity.Generate()));
    }
}
