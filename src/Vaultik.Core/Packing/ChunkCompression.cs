namespace Vaultik.Core.Packing;

/// <summary>How chunks are stored (config key <c>compression</c>); every choice writes standard zstd frames.</summary>
public enum ChunkCompression
{
    /// <summary>Compress a chunk at the configured level only when a cheap probe says it compresses (<see cref="CompressibilityProbe"/>).</summary>
    Auto,

    /// <summary>Compress every chunk at the configured level (the behaviour before <c>compression</c> existed).</summary>
    Max,

    /// <summary>Store every chunk as a frame of raw blocks.</summary>
    Off,
}
