namespace Vaultik.Core.Locking;

/// <summary>
/// A lock as the store lists it: its newest lease (which decides), that lease's LastModified by the store's
/// clock, and every object key the lock has (so the maintenance side can remove them all).
/// </summary>
public sealed record ListedLock(StoreLock Lease, DateTimeOffset LastModified, IReadOnlyList<string> Keys)
{
    public string Id => Lease.Id;

    /// <summary>When the lease stops counting, by the store's clock: its LastModified plus its (capped) lifetime.</summary>
    public DateTimeOffset Expires => LastModified + Lease.Lifetime;

    /// <summary>
    /// Not released and not lapsed at <paramref name="reference"/> (a time on the store's clock). An unreadable
    /// lease counts as live for <see cref="StoreLock.MaxLifetime"/> from its LastModified: its writer may still be running.
    /// </summary>
    public bool IsLive(DateTimeOffset reference) => !Lease.Released && Expires > reference;

    public bool IsUnreadable => Lease.Kind == StoreLock.Unreadable;

    /// <summary>The newest object of the lock (the lease that decides).</summary>
    public string NewestKey => Keys.Max(StringComparer.Ordinal) ?? string.Empty;

    public string Describe() => IsUnreadable
        ? $"unreadable lock object {NewestKey} (written {LastModified:yyyy-MM-dd HH:mm:ss}Z)"
        : Lease.Describe();
}
