using Vaultik.Core.Metadata;

namespace Vaultik.Core.Mount;

/// <summary>
/// The mount's virtual top (README.md in this folder): <c>snapshots/&lt;id&gt;</c> for every snapshot listed,
/// <c>hosts/&lt;host&gt;/&lt;id&gt;</c> as symlinks to <c>../../snapshots/&lt;id&gt;</c>, and per host
/// <c>latest</c> (its newest snapshot) and <c>latest-&lt;name&gt;</c> (its newest of that name) as symlinks to
/// the id beside them. Built once from the manifests (which need no key); holds nothing about files.
/// </summary>
public sealed class MountLayout
{
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, SortedDictionary<string, string>> _hosts = new(StringComparer.Ordinal);

    public MountLayout(IReadOnlyList<SnapshotManifest> manifests)
    {
        Manifests = manifests;
        for (var i = 0; i < manifests.Count; i++)
        {
            var m = manifests[i];
            if (!IsName(m.Id) || !_slots.TryAdd(m.Id, i))
            {
                continue;
            }

            if (!IsName(m.Hostname))
            {
                continue;
            }

            if (!_hosts.TryGetValue(m.Hostname, out var links))
            {
                links = new SortedDictionary<string, string>(StringComparer.Ordinal);
                _hosts[m.Hostname] = links;
            }

            links[m.Id] = $"../../snapshots/{m.Id}";
            Newest(links, "latest", m);
            if (IsName("latest-" + m.Name) && m.Name.Length > 0)
            {
                Newest(links, "latest-" + m.Name, m);
            }
        }

        NewestNs = manifests.Count == 0 ? 0 : manifests.Max(m => m.Created.ToUnixTimeMilliseconds()) * 1_000_000;
    }

    public IReadOnlyList<SnapshotManifest> Manifests { get; }

    /// <summary>The newest snapshot's creation time (ns), the virtual directories' mtime.</summary>
    public long NewestNs { get; }

    /// <summary>Snapshot ids in order, with their slots (indexes into <see cref="Manifests"/>).</summary>
    public IEnumerable<(string Id, int Slot)> Snapshots => _slots.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value));

    public IEnumerable<string> Hosts => _hosts.Keys;

    public int? Slot(string id) => _slots.TryGetValue(id, out var slot) ? slot : null;

    /// <summary>A host's symlinks (name → target), or null for an unknown host.</summary>
    public IReadOnlyDictionary<string, string>? HostLinks(string host) => _hosts.TryGetValue(host, out var links) ? links : null;

    private void Newest(SortedDictionary<string, string> links, string link, SnapshotManifest candidate)
    {
        if (links.TryGetValue(link, out var id) && _slots.TryGetValue(id, out var slot) && Manifests[slot].Created >= candidate.Created)
        {
            return;
        }

        links[link] = candidate.Id;
    }

    /// <summary>True for a usable directory entry name (the store is untrusted: ids and host names come from manifests).</summary>
    private static bool IsName(string name) =>
        name.Length is > 0 and <= 255 && name != "." && name != ".." && !name.Contains('/', StringComparison.Ordinal) && !name.Contains('\0', StringComparison.Ordinal);
}
