using System.Globalization;
using System.Text.Json;
using Vaultik.Core.Metadata;
using Vaultik.Core.Search;

namespace Vaultik.Cli.Output;

/// <summary>
/// find's JSON document (README, "JSON output"): the searched snapshots, the paths, the summary, written as they
/// come to a 0600 file in the private run directory and copied to stdout once complete (so a failed find prints no half document).
/// </summary>
internal sealed class FindJsonSink : IFindSink, IDisposable
{
    private readonly Utf8JsonWriter _json;
    private readonly FileStream _spool;

    public FindJsonSink(string directory, IReadOnlyList<SnapshotManifest> snapshots)
    {
        _spool = Vaultik.Core.Platform.PrivateFiles.Open(System.IO.Path.Combine(directory, "find.json"), FileMode.Create, FileAccess.ReadWrite, FileOptions.DeleteOnClose);
        _json = new Utf8JsonWriter(_spool);
        _json.WriteStartObject();
        _json.WriteStartArray("snapshots");
        foreach (var s in snapshots)
        {
            _json.WriteStartObject();
            _json.WriteString("id", s.Id);
            _json.WriteString("hostname", s.Hostname);
            _json.WriteString("name", s.Name);
            _json.WriteString("created", s.Created.ToString("o", CultureInfo.InvariantCulture));
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        _json.WriteStartArray("paths");
    }

    /// <summary>An mtime in ns as ISO 8601 UTC with 100 ns precision.</summary>
    public static string Mtime(long ns) =>
        DateTimeOffset.UnixEpoch.AddTicks(ns / 100).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public void Path(string path, IReadOnlyList<FindEvent> history)
    {
        _json.WriteStartObject();
        _json.WriteString("path", "/" + path);
        _json.WriteStartArray("history");
        foreach (var e in history)
        {
            _json.WriteStartObject();
            _json.WriteString("snapshot_id", e.Snapshot.Id);
            _json.WriteString("event", e.Event);
            _json.WriteStartArray("changed");
            foreach (var c in e.Changed)
            {
                _json.WriteStringValue(c);
            }

            _json.WriteEndArray();
            if (e.IsMatch)
            {
                _json.WriteString("type", e.Type);
                _json.WriteNumber("size", e.Size!.Value);
                _json.WriteString("mtime", Mtime(e.MtimeNs!.Value));
                _json.WriteNumber("mtime_ns", e.MtimeNs!.Value);
            }
            else
            {
                _json.WriteNull("type");
                _json.WriteNull("size");
                _json.WriteNull("mtime");
                _json.WriteNull("mtime_ns");
            }

            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        _json.WriteEndObject();
        if (_json.BytesPending > 1 << 16)
        {
            _json.Flush();
        }
    }

    public void Finish(FindSummary summary, Stream output)
    {
        _json.WriteEndArray();
        _json.WriteStartObject("summary");
        _json.WriteNumber("snapshots_searched", summary.SnapshotsSearched);
        _json.WriteNumber("from_cache", summary.FromCache);
        _json.WriteNumber("paths", summary.Paths);
        _json.WriteNumber("matches", summary.Matches);
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.Flush();
        _spool.Position = 0;
        _spool.CopyTo(output);
        output.Write("\n"u8);
        output.Flush();
    }

    public void Dispose()
    {
        _json.Dispose();
        _spool.Dispose();
    }
}
