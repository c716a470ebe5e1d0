using System.Diagnostics;
using System.Globalization;
using Vaultik.Age;
using AgeFile = Vaultik.Age.Age;

namespace Vaultik.Bench;

/// <summary>
/// Per recipient type: the header size of a file to one recipient, and the median time of one encrypt (file
/// key wrap, header, empty payload) and one decrypt (header parse, unwrap, MAC check) of an empty file.
/// </summary>
public static class QuickRecipients
{
    private const int Rounds = 500;

    public static void Run(TextWriter output)
    {
        var x25519 = X25519Identity.Generate();
        var pq = MlKem768X25519Identity.Generate();
        (string Name, IRecipient Recipient, IIdentity Identity)[] cases =
        [
            ("X25519 (age1…)", x25519.Recipient, x25519),
            ("ML-KEM-768 + X25519 (age1pq1…)", pq.Recipient, pq),
        ];
        output.WriteLine("| recipient type | header bytes | encrypt µs (median) | decrypt µs (median) |");
        output.WriteLine("| --- | ---: | ---: | ---: |");
        foreach (var (name, recipient, identity) in cases)
        {
            var file = Encrypt(recipient);
            // An empty payload is the 16-byte nonce and one 16-byte tag: the rest is the header.
            var headerBytes = file.Length - 32;
            var encrypt = Median(() => Encrypt(recipient));
            var decrypt = Median(() => Decrypt(file, identity));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {headerBytes} | {encrypt:0.0} | {decrypt:0.0} |"));
        }
    }

    private static byte[] Encrypt(IRecipient recipient)
    {
        using var buffer = new MemoryStream();
        AgeFile.Encrypt(buffer, [recipient], leaveOpen: true).Dispose();
        return buffer.ToArray();
    }

    private static void Decrypt(byte[] file, IIdentity identity)
    {
        using var plain = AgeFile.Decrypt(new MemoryStream(file), [identity]);
        if (plain.ReadByte() != -1)
        {
            throw new InvalidOperationException("cannot measure decryption: the empty file decrypted to bytes");
        }
    }

    private static double Median(Action body)
    {
        for (var i = 0; i < 50; i++)
        {
            body();
        }

        var samples = new double[Rounds];
        for (var i = 0; i < Rounds; i++)
        {
            var clock = Stopwatch.StartNew();
            body();
            samples[i] = clock.Elapsed.TotalMicroseconds;
        }

        Array.Sort(samples);
        return samples[Rounds / 2];
    }
}
