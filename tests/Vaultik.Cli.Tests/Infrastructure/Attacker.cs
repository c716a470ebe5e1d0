using Amazon.S3.Model;
using Vaultik.Tests.Shared;

namespace Vaultik.Cli.Tests.Infrastructure;

/// <summary>
/// Writes to a sandbox's store as an attacker would, bypassing Vaultik: a local file replaced in place, an S3
/// object overwritten by a plain PUT (in a versioned bucket, a new version) or deleted by a plain DELETE.
/// </summary>
public static class Attacker
{
    public static async Task PutAsync(Sandbox box, string key, byte[] bytes)
    {
        if (S3Key(box) is { } s3)
        {
            using var client = S3Fixture.AdminClient();
            await client.PutObjectAsync(new PutObjectRequest { BucketName = s3.Bucket, Key = s3.Key(key), InputStream = new MemoryStream(bytes) });
            return;
        }

        var path = Path.Combine(box.StorePath, key);
        File.Delete(path);
        File.WriteAllBytes(path, bytes);
    }

    public static async Task DeleteAsync(Sandbox box, string key)
    {
        if (S3Key(box) is { } s3)
        {
            using var client = S3Fixture.AdminClient();
            await client.DeleteObjectAsync(s3.Bucket, s3.Key(key));
            return;
        }

        File.Delete(Path.Combine(box.StorePath, key));
    }

    /// <summary>How many versions (delete markers included) the S3 store holds of <paramref name="key"/>.</summary>
    public static async Task<int> VersionCountAsync(Sandbox box, string key)
    {
        var s3 = S3Key(box) ?? throw new InvalidOperationException("not an S3 sandbox");
        using var client = S3Fixture.AdminClient();
        var page = await client.ListVersionsAsync(new ListVersionsRequest { BucketName = s3.Bucket, Prefix = s3.Key(key) });
        return (page.Versions ?? []).Count(v => v.Key == s3.Key(key));
    }

    private static (string Bucket, Func<string, string> Key)? S3Key(Sandbox box)
    {
        if (!box.StorageUrl.StartsWith("s3://", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = box.StorageUrl["s3://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? string.Empty : rest[(slash + 1)..].TrimEnd('/');
        return (bucket, key => prefix.Length == 0 ? key : $"{prefix}/{key}");
    }
}
