namespace Vaultik.Cli.Output;

/// <summary>A plain left-aligned text table with a header row; cells are escaped for the terminal (<see cref="TerminalText"/>).</summary>
internal sealed class Table
{
    private readonly string[] _header;
    private readonly List<string[]> _rows = [];

    public Table(params string[] header) => _header = header;

    public void Add(params string[] row) => _rows.Add(row.Select(TerminalText.Escape).ToArray());

    public void Write(TextWriter output)
    {
        var widths = _header.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        foreach (var row in _rows.Prepend(_header))
        {
            output.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))));
        }
    }
}
