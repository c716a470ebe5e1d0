using System.Diagnostics;
using System.Security.Cryptography;
using Vaultik.Age;
using AgeFile = Vaultik.Age.Age;

namespace Vaultik.Age.Tests;

/// <summary>Interop both ways with the reference `age` CLI (Debian's age package; CI installs it, so a missing binary fails).</summary>
public sealed class AgeCliInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vaultik-age-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static readonly TheoryData<int> Sizes = new() { 0, 1, 65535, 65536, 65537, 10 << 20 };

    private static async Task<(int Code, byte[] Stdout, string Stderr)> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        using var stdout = new MemoryStream();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.BaseStream.CopyToAsync(stdout);
        await process.WaitForExitAsync();
        return (process.ExitCode, stdout.ToArray(), await stderr);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Files_vaultik_encrypts_decrypt_with_age_and_keys_vaultik_writes_load_in_age(int size)
    {
        var identity = X25519Identity.Generate();
        var keyFile = Path.Combine(_dir, "key.txt");
        await using (var writer = new StreamWriter(keyFile))
        {
            AgeKeyFile.Write(writer, identity, DateTimeOffset.UtcNow);
        }

        var plain = RandomNumberGenerator.GetBytes(size);
        var encrypted = Path.Combine(_dir, "file.age");
        await using (var output = File.Create(encrypted))
        await using (var age = AgeFile.Encrypt(output, [identity.Recipient]))
        {
            await age.WriteAsync(plain);
        }

        var (code, stdout, stderr) = await RunAsync("age", "-d", "-i", keyFile, encrypted);
        Assert.True(code == 0, stderr);
        Assert.Equal(plain, stdout);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Files_age_encrypts_decrypt_with_vaultik_using_keys_from_age_keygen(int size)
    {
        var keyFile = Path.Combine(_dir, "keygen.txt");
        var keygen = await RunAsync("age-keygen", "-o", keyFile);
        Assert.True(keygen.Code == 0, keygen.Stderr);
        var identities = AgeKeyFile.Load(keyFile);
        var recipient = File.ReadAllLines(keyFile).Single(l => l.StartsWith("# public key: ", StringComparison.Ordinal))["# public key: ".Length..];
        Assert.Equal(recipient, ((X25519Identity)identities[0]).Recipient.ToString());

        var plainFile = Path.Combine(_dir, "plain");
        var plain = RandomNumberGenerator.GetBytes(size);
        await File.WriteAllBytesAsync(plainFile, plain);
        foreach (var armor in new[] { false, true })
        {
            var encrypted = Path.Combine(_dir, armor ? "file.age.asc" : "file.age");
            var args = armor ? new[] { "-a", "-r", recipient, "-o", encrypted, plainFile } : ["-r", recipient, "-o", encrypted, plainFile];
            var result = await RunAsync("age", args);
            Assert.True(result.Code == 0, result.Stderr);
            await using var input = File.OpenRead(encrypted);
            await using var age = AgeFile.Decrypt(input, identities);
            using var output = new MemoryStream();
            await age.CopyToAsync(output);
            Assert.Equal(plain, output.ToArray());
        }
    }
}
