using System.Security.Cryptography;
using Vaultik.Age;
using AgeFile = Vaultik.Age.Age;

namespace Vaultik.Age.Tests;

/// <summary>The C2SP CCTV age vectors: successes decrypt to the payload hash, failures fail with the right class.</summary>
public sealed class CctvVectorTests
{
    public static TheoryData<string> Vectors()
    {
        var data = new TheoryData<string>();
        foreach (var name in CctvVector.Names())
        {
            data.Add(name);
        }

        return data;
    }

    [Fact]
    public void Enough_vectors_are_in_scope_that_the_theory_cannot_silently_shrink() => Assert.True(CctvVector.Names().Count() >= 143, $"only {CctvVector.Names().Count()} vectors");

    [Fact]
    public void Every_post_quantum_hybrid_vector_is_in_scope() =>
        Assert.Equal(19, CctvVector.Names().Count(n => n.Contains("hybrid", StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Vector_behaves_as_expected(string name)
    {
        var vector = CctvVector.Load(name);
        var identities = vector.Identities.Select(AgeKeyFile.ParseIdentity)
            .Concat(vector.Passphrases.Select(p => new ScryptIdentity(p)))
            .ToList();
        using var released = new MemoryStream();
        Exception? failure = null;
        try
        {
            using var plain = AgeFile.Decrypt(new MemoryStream(vector.File), identities);
            var buffer = new byte[4096];
            int n;
            while ((n = plain.Read(buffer)) > 0)
            {
                released.Write(buffer, 0, n);
            }
        }
        catch (AgeException ex)
        {
            failure = ex;
        }

        var expected = vector.Expect switch
        {
            "success" => null,
            "no match" => typeof(AgeNoIdentityMatchException),
            "payload failure" => typeof(AgePayloadException),
            "header failure" or "HMAC failure" or "armor failure" => typeof(AgeHeaderException),
            var other => throw new InvalidOperationException($"unknown expectation '{other}'"),
        };
        Assert.True(expected == failure?.GetType(), $"{name}: expected {expected?.Name ?? "success"}, got {failure?.GetType().Name ?? "success"}: {failure?.Message}");
        if (vector.Payload is { } payload && (expected is null || expected == typeof(AgePayloadException)))
        {
            Assert.Equal(payload, Convert.ToHexStringLower(SHA256.HashData(released.ToArray())));
        }
    }
}
