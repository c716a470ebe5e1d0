namespace Vaultik.Core.Config;

/// <summary>The config's <c>metadata_cache</c> (README, "Metadata cache").</summary>
public enum MetadataCacheMode
{
    /// <summary>Each snapshot's rebuilt database zstd-compressed and age-encrypted to the identity's own recipient (the default).</summary>
    Encrypted,

    /// <summary>The rebuilt databases decrypted, in the 0700 cache directory, queried in place (fastest).</summary>
    Plain,

    /// <summary>No cache: every run downloads the metadata into a private run directory and removes it.</summary>
    Off,
}
