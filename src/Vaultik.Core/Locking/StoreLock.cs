namespace Vaultik.Core.Locking;

/// <summary>A lock object in the store (<c>locks/&lt;id&gt;.json</c>, docs/FORMAT.md "Locks").</summary>
public sealed record StoreLock(string Id, string Kind, string Hostname, int Pid, DateTimeOffset Created, DateTimeOffset Expires)
{
    public const string Shared = "shared";
    public const string Exclusive = "exclusive";

    public bool IsExpired(DateTimeOffset now) => Expires < now;

    public string Describe() => $"{Kind} lock {Id} held by {Hostname} pid {Pid} since {Created:yyyy-MM-dd HH:mm:ss}Z";
}
