using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Vaultik.Core.Config;
using Vaultik.Core.Metadata;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Search;

/// <summary>
/// One snapshot's cache entry: its data file (<c>ID.db</c> plain, or <c>ID.db.zst.age</c> encrypted) and a
/// sidecar <c>ID.entry</c> naming the snapshot id, the store's metadata object (SHA-256 and size, as the
/// manifest gives them), the mode, the data file's SHA-256 and an HMAC-SHA256 over all of it keyed by the
/// identity (<see cref="CacheCredentials"/>). An entry serves a snapshot only when every field matches its
/// manifest and the MAC verifies over the data file as it is now.
/// </summary>
internal sealed class CacheEntry
{
    private const string Magic = "vaultik-metadata-cache 1";

    public CacheEntry(string directory, string snapshotId, MetadataCacheMode mode)
    {
        SidecarPath = Path.Combine(directory, snapshotId + ".entry");
        DataPath = Path.Combine(directory, snapshotId + (mode == MetadataCacheMode.Plain ? ".db" : ".db.zst.age"));
        _mode = mode;
    }

    private readonly MetadataCacheMode _mode;

    public string SidecarPath { get; }

    public string DataPath { get; }

    public bool Exists => File.Exists(SidecarPath) || File.Exists(DataPath);

    /// <summary>Null when the entry serves <paramref name="manifest"/>; otherwise why not.</summary>
    public async Task<string?> ProblemAsync(SnapshotManifest manifest, byte[] key, CancellationToken cancellationToken)
    {
        if (!File.Exists(SidecarPath) || !File.Exists(DataPath))
        {
            return "it is incomplete";
        }

        var lines = (await File.ReadAllTextAsync(SidecarPath, cancellationToken).ConfigureAwait(false)).Split('\n');
        if (lines.Length < 7 || lines[0] != Magic)
        {
            return "its sidecar is not one this Vaultik writes";
        }

        var expected = Fields(manifest, lines[5]);
        if (lines[1] != manifest.Id || lines[2] != manifest.MetadataHash || lines[3] != manifest.MetadataSize.ToString(CultureInfo.InvariantCulture) || lines[4] != ModeName)
        {
            return "it was made from another metadata object than the store's (the snapshot's metadata changed)";
        }

        if (await HashFileAsync(DataPath, cancellationToken).ConfigureAwait(false) != lines[5])
        {
            return "its data file changed since it was written (tampered or damaged)";
        }

        var mac = Convert.FromHexString(lines[6].Length == 64 && lines[6].All(char.IsAsciiHexDigit) ? lines[6] : new string('0', 64));
        return CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(expected)))
            ? null
            : "its MAC does not verify with this identity (tampered, or written with another identity)";
    }

    /// <summary>Writes the sidecar for the data file now at <see cref="DataPath"/>, atomically (0600 temporary file, renamed).</summary>
    public async Task SealAsync(SnapshotManifest manifest, byte[] key, CancellationToken cancellationToken)
    {
        var dataHash = await HashFileAsync(DataPath, cancellationToken).ConfigureAwait(false);
        var fields = Fields(manifest, dataHash);
        var mac = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(fields)));
        var temp = SidecarPath + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) + ".tmp";
        await using (var file = PrivateFiles.Open(temp, FileMode.CreateNew, FileAccess.Write))
        {
            await file.WriteAsync(Encoding.UTF8.GetBytes($"{Magic}\n{fields}\n{mac}\n"), cancellationToken).ConfigureAwait(false);
        }

        File.Move(temp, SidecarPath, overwrite: true);
    }

    /// <summary>Removes both files (an entry that does not verify, before it is fetched again).</summary>
    public void Delete()
    {
        File.Delete(SidecarPath);
        File.Delete(DataPath);
    }

    private string ModeName => _mode == MetadataCacheMode.Plain ? "plain" : "encrypted";

    private string Fields(SnapshotManifest manifest, string dataHash) =>
        string.Join('\n', manifest.Id, manifest.MetadataHash, manifest.MetadataSize.ToString(CultureInfo.InvariantCulture), ModeName, dataHash);

    private static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
    }
}
