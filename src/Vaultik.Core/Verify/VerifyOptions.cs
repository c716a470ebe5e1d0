using Vaultik.Age;

namespace Vaultik.Core.Verify;

/// <summary>
/// How deep to check: quick (existence and size from listings), <see cref="Deep"/> (download and hash every
/// blob, no key needed). With <see cref="Identities"/>, either way, the metadata is decrypted and checked against
/// its manifest and every blob its chunks need must be stored; deep with identities also decrypts and checks every chunk.
/// <see cref="SamplePercent"/> deep-checks only that share of blobs, chosen at random.
/// </summary>
public sealed record VerifyOptions(bool Deep, IReadOnlyList<IIdentity>? Identities, double SamplePercent = 100, string TempDirectory = "")
{
    public int Concurrency { get; init; } = 4;
}
