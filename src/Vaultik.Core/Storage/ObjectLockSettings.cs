namespace Vaultik.Core.Storage;

/// <summary>
/// S3 Object Lock as the config's <c>s3.object_lock</c> asks: every object written carries <see cref="Mode"/>
/// retention for <see cref="Retention"/> from the moment it is written, except keys under
/// <see cref="ExemptPrefixes"/> (lock leases, which the maintenance side must be able to remove once expired).
/// </summary>
public sealed record ObjectLockSettings(ObjectLockMode Mode, TimeSpan Retention, IReadOnlyList<string> ExemptPrefixes)
{
    public bool Applies(string key) => !ExemptPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal));

    /// <summary>The S3 name of the mode.</summary>
    public string ModeName => Mode == ObjectLockMode.Compliance ? "COMPLIANCE" : "GOVERNANCE";
}
