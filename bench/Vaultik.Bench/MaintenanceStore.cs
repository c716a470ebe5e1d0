using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Vaultik.Core;
using Vaultik.Core.Layout;
using Vaultik.Core.Metadata;

namespace Vaultik.Bench;

/// <summary>
/// Writes a synthetic local store for bench/maintenance-scale.sh: <c>blobs</c> small blob objects (each named by the
/// SHA-256 of its content, so keyless deep verify passes; standing for blobs of ~100 chunks each) and
/// <c>snapshots</c> complete snapshots an hour apart, snapshot i listing the <c>window</c> blobs starting at
/// i × churn (churn = (blobs − window) / snapshots: each snapshot adds blobs and drops as many). Each metadata
/// object is random bytes of its manifest's <c>metadata_size</c> (keyless readers never decrypt it). Written
/// with Vaultik's own manifest codec. Blobs are dated 30 days back, so a prune's grace period does not hold them.
/// </summary>
internal static class MaintenanceStore
{
    public static int Run(string[] args, TextWriter output)
    {
        if (args.Length < 2)
        {
            output.WriteLine("usage: maintenance-store DIR [SNAPSHOTS=1000] [BLOBS=100000] [WINDOW=50000]");
            return 2;
        }

        var root = args[1];
        var snapshots = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000;
        var blobs = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 100_000;
        var window = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 50_000;
        var churn = Math.Max(0, (blobs - window) / Math.Max(1, snapshots));
        var old = DateTime.UtcNow.AddDays(-30);

        var hashes = new Hash256[blobs];
        var sizes = new long[blobs];
        for (var k = 0; k < blobs; k++)
        {
            // ~100 bytes standing for a blob of ~100 chunks; distinct content, so distinct names.
            var content = Encoding.ASCII.GetBytes($"vaultik maintenance bench blob {k:D9} ".PadRight(64 + (k % 64), '.'));
            hashes[k] = Hash256.Compute(content);
            sizes[k] = content.Length;
            var path = Path.Combine(root, StoreLayout.BlobKey(hashes[k]));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, content);
            File.SetLastWriteTimeUtc(path, old);
        }

        var start = DateTimeOffset.UtcNow.AddHours(-snapshots - 24);
        start = new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, 0, 0, TimeSpan.Zero);
        long manifestBytes = 0;
        Parallel.For(0, snapshots, new ParallelOptions { MaxDegreeOfParallelism = 2 }, s =>
        {
            var created = start.AddHours(s);
            var id = $"{created.UtcDateTime:yyyy-MM-dd-HHmmss}-benchhost-daily-{s:x8}";
            var metadata = RandomNumberGenerator.GetBytes(512);
            var list = new List<ManifestBlob>(window);
            for (var k = s * churn; k < Math.Min(blobs, (s * churn) + window); k++)
            {
                list.Add(new ManifestBlob(hashes[k].ToString(), sizes[k]));
            }

            var manifest = new SnapshotManifest(SnapshotManifest.CurrentFormatVersion, id, "benchhost", "daily", created,
                FileCount: 10_000_000, TotalSize: 100L << 30, Convert.ToHexStringLower(SHA256.HashData(metadata)), metadata.Length, list);
            var directory = Path.Combine(root, StoreLayout.MetadataPrefix, id);
            Directory.CreateDirectory(directory);
            var metadataPath = Path.Combine(directory, StoreLayout.MetadataFileName);
            File.WriteAllBytes(metadataPath, metadata);
            var encoded = ManifestCodec.Encode(manifest);
            var manifestPath = Path.Combine(directory, StoreLayout.ManifestFileName);
            File.WriteAllBytes(manifestPath, encoded);
            File.SetLastWriteTimeUtc(metadataPath, created.UtcDateTime.AddMinutes(1));
            File.SetLastWriteTimeUtc(manifestPath, created.UtcDateTime.AddMinutes(1));
            Interlocked.Add(ref manifestBytes, encoded.Length);
        });

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"store {root}: {blobs} blobs, {snapshots} snapshots of {window} blobs each (churn {churn}), manifests {manifestBytes / (1 << 20)} MiB"));
        return 0;
    }
}
