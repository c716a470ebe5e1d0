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

    /// <summary>Released, unreadable, or lapsed at <paramref name="reference"/> (a time on the store's clock).</summary>
    public bool IsLive(DateTimeOffset reference) => !Lease.Released && Lease.Kind != StoreLock.Unreadable && Expires > reference;

    public string Describe() => Lease.Describe();
}
