using Vaultik.Core.Config;
using Vaultik.Core.Storage;

namespace Vaultik.Cli;

/// <summary>
/// The process's two bandwidth buckets (null: unlimited), from <c>--limit-upload</c>/<c>--limit-download</c>,
/// else the config's <c>limit_upload</c>/<c>limit_download</c> (KiB/s; 0 is unlimited). Made once per invocation
/// so every store it opens, and every concurrent transfer, shares one limit per direction.
/// </summary>
internal sealed record BandwidthLimits(TokenBucket? Upload, TokenBucket? Download)
{
    public static BandwidthLimits From(VaultikConfig config, int? uploadFlag, int? downloadFlag) =>
        new(Bucket(uploadFlag ?? config.LimitUpload), Bucket(downloadFlag ?? config.LimitDownload));

    private static TokenBucket? Bucket(int kibPerSecond) => kibPerSecond > 0 ? new TokenBucket(kibPerSecond * 1024L) : null;
}
