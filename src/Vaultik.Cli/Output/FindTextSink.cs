using System.Globalization;
using Vaultik.Core.Search;

namespace Vaultik.Cli.Output;

/// <summary>find's text output: each matching path, then one line per step of its history (snapshot id, event, size, mtime).</summary>
internal sealed class FindTextSink : IFindSink
{
    private readonly TextWriter _out;

    public FindTextSink(TextWriter output) => _out = output;

    public void Path(string path, IReadOnlyList<FindEvent> history)
    {
        _out.WriteLine(TerminalText.Escape("/" + path));
        foreach (var e in history)
        {
            var what = e.Event == FindEvent.ChangedEvent ? $"changed ({string.Join(", ", e.Changed)})" : e.Event;
            var detail = e.IsMatch
                ? $"  {e.Type}  {e.Size!.Value.ToString(CultureInfo.InvariantCulture)} bytes  mtime {FindJsonSink.Mtime(e.MtimeNs!.Value)}"
                : string.Empty;
            _out.WriteLine($"  {TerminalText.Escape(e.Snapshot.Id)}  {what}{detail}");
        }
    }
}
