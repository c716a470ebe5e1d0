using System.Text.Json.Serialization;

namespace Vaultik.Core.Locking;

/// <summary>
/// One lease of a lock, as stored (<c>locks/&lt;lock-id&gt;/&lt;seq&gt;.json</c>, docs/FORMAT.md "Locks"; legacy
/// <c>locks/&lt;lock-id&gt;.json</c> objects read the same). <see cref="Created"/> and <see cref="Expires"/> are the
/// writer's clock: only their difference, the declared lifetime, is used, counted from the object's LastModified.
/// </summary>
public sealed record StoreLock(
    string Id,
    string Kind,
    string Hostname,
    int Pid,
    DateTimeOffset Created,
    DateTimeOffset Expires,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Released = false)
{
    public const string Shared = "shared";
    public const string Exclusive = "exclusive";

    /// <summary>
    /// The kind given to a lease that cannot be parsed: it blocks every taker, as an exclusive lock would, until
    /// <see cref="MaxLifetime"/> after its LastModified (or until <c>--break-lock</c> removes it).
    /// </summary>
    public const string Unreadable = "unreadable";

    /// <summary>The most lifetime a lease may claim; a longer one counts as this long, so a forged lease cannot block for ever.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(1);

    /// <summary>The declared lifetime, between zero and <see cref="MaxLifetime"/>.</summary>
    [JsonIgnore]
    public TimeSpan Lifetime
    {
        get
        {
            var declared = Expires - Created;
            return declared < TimeSpan.Zero ? TimeSpan.Zero : declared > MaxLifetime ? MaxLifetime : declared;
        }
    }

    /// <summary>By the writer's clock (kept for callers that have nothing better; liveness uses <see cref="ListedLock"/>).</summary>
    public bool IsExpired(DateTimeOffset now) => Released || Expires < now;

    public string Describe() => $"{Kind} lock {Id} held by {Hostname} pid {Pid} since {Created:yyyy-MM-dd HH:mm:ss}Z";
}
