using Microsoft.Data.Sqlite;

namespace Vaultik.Core.Metadata;

/// <summary>A helper table of marked directory paths in the private local database (restore's --include pass).</summary>
public sealed partial class MetadataReader
{
    /// <summary>Adds <paramref name="paths"/> to the marked directories (the table is made on first use).</summary>
    public void MarkDirectories(IReadOnlyCollection<string> paths) => Guard(() =>
    {
        Exec("CREATE TABLE IF NOT EXISTS _marked (path TEXT PRIMARY KEY) WITHOUT ROWID;");
        using var tx = _db.BeginTransaction();
        using var insert = _db.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT OR IGNORE INTO _marked (path) VALUES ($p);";
        var p = insert.Parameters.Add("$p", SqliteType.Text);
        foreach (var path in paths)
        {
            p.Value = path;
            insert.ExecuteNonQuery();
        }

        tx.Commit();
        return 0;
    });

    /// <summary>Whether <paramref name="path"/> was marked (only after a <see cref="MarkDirectories"/>).</summary>
    public bool IsMarkedDirectory(string path) => Guard(() =>
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = "SELECT 1 FROM _marked WHERE path = $p;";
        cmd.Parameters.AddWithValue("$p", path);
        return cmd.ExecuteScalar() is not null;
    });
}
