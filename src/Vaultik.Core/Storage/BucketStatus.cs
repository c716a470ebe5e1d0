namespace Vaultik.Core.Storage;

/// <summary>
/// What <see cref="S3BucketSetup.CheckAsync"/> found out about a bucket. <see cref="Versioning"/> is S3's status
/// (<c>Enabled</c>, <c>Suspended</c>, or <c>Off</c> for a bucket never versioned); <see cref="DefaultRetention"/>
/// is the bucket's default rule as e.g. <c>30d</c> or <c>1y</c> (null: none), in <see cref="DefaultRetentionMode"/>.
/// </summary>
public sealed record BucketStatus(
    string Bucket,
    bool Exists,
    string Versioning,
    bool ObjectLockEnabled,
    string? DefaultRetentionMode,
    string? DefaultRetention)
{
    /// <summary>Whether the bucket can hold objects under Object Lock retention: it exists, with Object Lock and versioning on.</summary>
    public bool SupportsObjectLock => Exists && ObjectLockEnabled && Versioning == "Enabled";
}
