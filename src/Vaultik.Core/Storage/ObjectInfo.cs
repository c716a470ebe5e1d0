namespace Vaultik.Core.Storage;

/// <summary>
/// What a store knows about one object without reading it. <see cref="RetainUntil"/> is its Object Lock
/// retention date when the store has one and says so (a stat does; listings do not).
/// </summary>
public readonly record struct ObjectInfo(string Key, long Size, DateTimeOffset LastModified, DateTimeOffset? RetainUntil = null)
{
    /// <summary>Whether Object Lock still forbids deleting the object at <paramref name="now"/>.</summary>
    public bool IsRetainedAt(DateTimeOffset now) => RetainUntil is { } until && until > now;
}
