using System.Text.Json;
using Vaultik.Core.Diff;
using Vaultik.Core.Metadata;
using Vaultik.Core.Platform;

namespace Vaultik.Cli.Output;

/// <summary>
/// diff's JSON document (README, "JSON output"): <c>added</c>, <c>removed</c> and <c>changed</c> arrive
/// interleaved in path order, so each array is spooled to its own file in the private run directory and the
/// document is put together at the end; memory holds one element.
/// </summary>
internal sealed class DiffJsonSink : IDiffSink, IDisposable
{
    private readonly Spool _added;
    private readonly Spool _removed;
    private readonly Spool _changed;

    public DiffJsonSink(string directory)
    {
        _added = new Spool(Path.Combine(directory, "diff-added.json"));
        _removed = new Spool(Path.Combine(directory, "diff-removed.json"));
        _changed = new Spool(Path.Combine(directory, "diff-changed.json"));
    }

    public void Added(SnapshotEntry entry) => _added.Write(json => Entry(json, entry));

    public void Removed(SnapshotEntry entry) => _removed.Write(json => Entry(json, entry));

    public void Changed(SnapshotEntry before, SnapshotEntry after, IReadOnlyList<string> what) => _changed.Write(json =>
    {
        json.WriteString("path", "/" + after.Path);
        json.WriteStartArray("what");
        foreach (var w in what)
        {
            json.WriteStringValue(w);
        }

        json.WriteEndArray();
        json.WriteString("type_before", before.Type);
        json.WriteString("type", after.Type);
        json.WriteNumber("size_before", before.Size);
        json.WriteNumber("size", after.Size);
    });

    /// <summary>Writes the whole document to <paramref name="output"/>.</summary>
    public void Finish(DiffSummary summary, long filesRead, Stream output)
    {
        void Raw(string text) => output.Write(System.Text.Encoding.UTF8.GetBytes(text));
        Raw("{\"added\": [");
        _added.CopyTo(output);
        Raw("], \"removed\": [");
        _removed.CopyTo(output);
        Raw("], \"changed\": [");
        _changed.CopyTo(output);
        Raw("], \"summary\": ");
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteNumber("added", summary.Added);
            json.WriteNumber("removed", summary.Removed);
            json.WriteNumber("changed", summary.Changed);
            json.WriteNumber("unchanged", summary.Unchanged);
            json.WriteNumber("bytes_added", summary.BytesAdded);
            json.WriteNumber("bytes_removed", summary.BytesRemoved);
            json.WriteNumber("bytes_changed", summary.BytesChanged);
            json.WriteNumber("files_read", filesRead);
            json.WriteEndObject();
        }

        Raw("}\n");
        output.Flush();
    }

    private static void Entry(Utf8JsonWriter json, SnapshotEntry entry)
    {
        json.WriteString("path", "/" + entry.Path);
        json.WriteString("type", entry.Type);
        json.WriteNumber("size", entry.Size);
        if (entry.LinkTarget is null)
        {
            json.WriteNull("link_target");
        }
        else
        {
            json.WriteString("link_target", entry.LinkTarget);
        }
    }

    public void Dispose()
    {
        _added.Dispose();
        _removed.Dispose();
        _changed.Dispose();
    }

    /// <summary>One array's elements, comma-separated, in a 0600 file.</summary>
    private sealed class Spool : IDisposable
    {
        private readonly FileStream _file;
        private bool _any;

        public Spool(string path) => _file = PrivateFiles.Open(path, FileMode.Create, FileAccess.ReadWrite, FileOptions.DeleteOnClose);

        public void Write(Action<Utf8JsonWriter> fields)
        {
            if (_any)
            {
                _file.WriteByte((byte)',');
            }

            _any = true;
            using var json = new Utf8JsonWriter(_file);
            json.WriteStartObject();
            fields(json);
            json.WriteEndObject();
        }

        public void CopyTo(Stream output)
        {
            _file.Position = 0;
            _file.CopyTo(output);
        }

        public void Dispose() => _file.Dispose();
    }
}
