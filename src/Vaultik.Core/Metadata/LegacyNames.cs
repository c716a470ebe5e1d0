namespace Vaultik.Core.Metadata;

/// <summary>
/// Brings a downloaded format 2 snapshot database to the one form of names the program uses: format 2 stored
/// UTF-8 names with '\' literal, the escaped form (<see cref="Platform.RawName"/>) writes it '\\'. Run once,
/// right after the download, on the private local copy (opened as defensively as any read: no triggers).
/// </summary>
internal static class LegacyNames
{
    public static void EscapeInPlace(string dbPath)
    {
        using var db = MetadataConnection.Open(dbPath);
        try
        {
            using var tx = db.BeginTransaction();
            using var update = db.CreateCommand();
            update.Transaction = tx;
            update.CommandText = """
                UPDATE files SET path = replace(path, '\', '\\'),
                  link_target = replace(link_target, '\', '\\'),
                  hardlink_to = replace(hardlink_to, '\', '\\')
                WHERE instr(path, '\') > 0 OR instr(link_target, '\') > 0 OR instr(hardlink_to, '\') > 0;
                """;
            update.ExecuteNonQuery();
            tx.Commit();
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            throw new CorruptDataException($"cannot read snapshot metadata: {ex.Message}", ex);
        }
    }
}
