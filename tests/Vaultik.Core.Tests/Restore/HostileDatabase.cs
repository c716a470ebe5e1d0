using Microsoft.Data.Sqlite;
using Vaultik.Core.Metadata;

namespace Vaultik.Core.Tests.Restore;

/// <summary>Builds snapshot metadata databases the way an attacker who controls the store would.</summary>
internal static class HostileDatabase
{
    /// <summary>A valid-looking blob hash that names a blob row.</summary>
    public static readonly string Blob = new('a', 64);

    /// <summary>A valid-looking chunk hash.</summary>
    public static readonly string Chunk = new('c', 64);

    /// <summary>The real schema and format version, then <paramref name="sql"/>.</summary>
    public static string Build(string directory, string sql, string name = "evil.db") =>
        BuildRaw(directory, MetadataSchema.Create + $"INSERT INTO snapshot VALUES ('format_version', '2');" + sql, name);

    /// <summary>Exactly <paramref name="sql"/>, nothing else.</summary>
    public static string BuildRaw(string directory, string sql, string name = "evil.db")
    {
        var path = Path.Combine(directory, name);
        File.Delete(path);
        using (var db = new SqliteConnection($"Data Source={path};Pooling=false;Foreign Keys=False"))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = sql;
            cmd.ExecuteNonQuery();
        }

        return path;
    }
}
