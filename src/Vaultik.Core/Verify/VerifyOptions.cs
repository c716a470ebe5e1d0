using Vaultik.Age;

namespace Vaultik.Core.Verify;

/// <summary>
/// How deep to check: quick (existence and size from listings), <see cref="Deep"/> (download and hash every
/// blob, no key needed), and with <see cref="Identities"/> also decrypt and check every chunk.
/// <see cref="SamplePercent"/> deep-checks only that share of blobs, chosen at random.
/// </summary>
public sealed record VerifyOptions(bool Deep, IReadOnlyList<IIdentity>? Identities, double SamplePercent = 100, string TempDirectory = "")
{
    public int Concurrency { get; init; } = 4;
}
