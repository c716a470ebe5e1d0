namespace Vaultik.Cli.Output;

/// <summary>
/// `store check-bucket --json`: what the bucket is, and the configured <c>s3.object_lock</c> (nulls when not
/// configured); <c>ok</c> is false exactly when the command exits 1.
/// </summary>
internal sealed record CheckBucketJson(
    string Bucket,
    bool Exists,
    string Versioning,
    bool ObjectLockEnabled,
    string? DefaultRetentionMode,
    string? DefaultRetention,
    string? ConfiguredMode,
    string? ConfiguredRetention,
    bool Ok);
