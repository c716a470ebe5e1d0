using System.Globalization;
using Vaultik.Core.Diff;
using Vaultik.Core.Metadata;

namespace Vaultik.Cli.Output;

/// <summary>diff's text output: <c>+ PATH</c>, <c>- PATH</c>, <c>M PATH (what…)</c>, each with type and size, in path order.</summary>
internal sealed class DiffTextSink : IDiffSink
{
    private readonly TextWriter _out;

    public DiffTextSink(TextWriter output) => _out = output;

    public void Added(SnapshotEntry entry) => _out.WriteLine($"+ {TerminalText.Escape("/" + entry.Path)}  ({Describe(entry)})");

    public void Removed(SnapshotEntry entry) => _out.WriteLine($"- {TerminalText.Escape("/" + entry.Path)}  ({Describe(entry)})");

    public void Changed(SnapshotEntry before, SnapshotEntry after, IReadOnlyList<string> what) =>
        _out.WriteLine($"M {TerminalText.Escape("/" + after.Path)}  ({string.Join(", ", what)}; {Describe(after)}{(before.Size != after.Size ? $", was {Size(before)}" : string.Empty)})");

    public static string Summary(DiffSummary s) => string.Create(CultureInfo.InvariantCulture,
        $"{s.Added} added, {s.Removed} removed, {s.Changed} changed, {s.Unchanged} unchanged; {s.BytesAdded} bytes added, {s.BytesRemoved} bytes removed, {s.BytesChanged:+0;-0;0} bytes in changed files");

    private static string Describe(SnapshotEntry e) => e.HardlinkTo is not null ? $"hard link to {TerminalText.Escape("/" + e.HardlinkTo)}" : $"{e.Type}, {Size(e)}";

    private static string Size(SnapshotEntry e) => e.Size.ToString(CultureInfo.InvariantCulture) + " bytes";
}
