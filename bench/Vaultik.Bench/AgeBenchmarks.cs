using BenchmarkDotNet.Attributes;
using Vaultik.Age;
using AgeFile = Vaultik.Age.Age;

namespace Vaultik.Bench;

/// <summary>age encryption and decryption of 64 MiB (X25519 recipient, 64 KiB STREAM chunks).</summary>
public class AgeBenchmarks
{
    private readonly byte[] _data = BenchData.Random();
    private readonly X25519Identity _identity = X25519Identity.Generate();
    private byte[] _encrypted = [];

    [GlobalSetup]
    public void Setup()
    {
        using var output = new MemoryStream();
        using (var age = AgeFile.Encrypt(output, [_identity.Recipient], leaveOpen: true))
        {
            age.Write(_data);
        }

        _encrypted = output.ToArray();
    }

    [Benchmark]
    public void Encrypt64MiB()
    {
        using var age = AgeFile.Encrypt(Stream.Null, [_identity.Recipient]);
        age.Write(_data);
    }

    [Benchmark]
    public void Decrypt64MiB()
    {
        using var age = AgeFile.Decrypt(new MemoryStream(_encrypted), [_identity]);
        age.CopyTo(Stream.Null, 1 << 20);
    }
}
