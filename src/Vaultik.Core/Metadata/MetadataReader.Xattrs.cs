using Vaultik.Core.Platform;
using Vaultik.Core.Source;

namespace Vaultik.Core.Metadata;

/// <summary>The extended attributes of <see cref="MetadataReader"/>'s entries (format 4; a format 2 or 3 snapshot has none).</summary>
public sealed partial class MetadataReader
{
    private bool? _hasXattrs;

    /// <summary>The attributes of entry <paramref name="fileId"/> in name-byte order (refused rows: <see cref="Collect"/>).</summary>
    public (List<ExtendedAttribute> Attributes, int Refused) Xattrs(long fileId) => Query(db =>
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT file_id, name, value, typeof(name) = 'blob' AND typeof(value) = 'blob' FROM xattrs WHERE file_id = $f ORDER BY name;";
        cmd.Parameters.AddWithValue("$f", fileId);
        return Collect(cmd).GetValueOrDefault(fileId, ([], 0));
    });

    /// <summary>
    /// <see cref="Xattrs(long)"/> for many entries in one query (a restore asks it once per window, not once per
    /// file); entries without attributes are absent. No query at all when the snapshot has none.
    /// </summary>
    public Dictionary<long, (List<ExtendedAttribute> Attributes, int Refused)> Xattrs(IEnumerable<long> fileIds)
    {
        _hasXattrs ??= Query(db =>
        {
            using var cmd = db.CreateCommand();
            cmd.CommandText = "SELECT EXISTS (SELECT 1 FROM xattrs);";
            return Convert.ToInt64(cmd.ExecuteScalar()) != 0;
        });
        if (_hasXattrs == false)
        {
            return [];
        }

        return Guard(() =>
        {
            FillSelection("_xattr_files", fileIds);
            try
            {
                using var cmd = _db.CreateCommand();
                cmd.CommandText = """
                    SELECT x.file_id, x.name, x.value, typeof(x.name) = 'blob' AND typeof(x.value) = 'blob'
                    FROM _xattr_files s CROSS JOIN xattrs x ON x.file_id = s.file_id ORDER BY x.file_id, x.name;
                    """;
                return Collect(cmd);
            }
            finally
            {
                Exec("DROP TABLE _xattr_files;");
            }
        });
    }

    /// <summary>
    /// The rows of <paramref name="cmd"/> (file id, name, value, both blobs) by entry. Rows that break the format's
    /// rules (a name that is not a blob of a stored namespace, a value that is not a blob of at most 64 KiB; only a
    /// hostile format 2 database can hold them, a replayed stream is checked) are counted in Refused and left out.
    /// </summary>
    private static Dictionary<long, (List<ExtendedAttribute> Attributes, int Refused)> Collect(Microsoft.Data.Sqlite.SqliteCommand cmd)
    {
        var result = new Dictionary<long, (List<ExtendedAttribute> Attributes, int Refused)>();
        using var r = cmd.ExecuteReader();
        long current = 0;
        var total = 0;
        while (r.Read())
        {
            var id = r.GetInt64(0);
            if (!result.TryGetValue(id, out var entry) || id != current)
            {
                entry = result.GetValueOrDefault(id, ([], 0));
                current = id;
                total = 0;
            }

            var attribute = r.GetBoolean(3) ? new ExtendedAttribute((byte[])r.GetValue(1), (byte[])r.GetValue(2)) : null;
            if (attribute is null || !AttributeRules.IsStored(attribute.Name) || attribute.Value.Length > AttributeRules.MaxValueBytes
                || (total += AttributeRules.Cost(attribute)) > AttributeRules.MaxEntryBytes)
            {
                entry.Refused++;
            }
            else
            {
                entry.Attributes.Add(attribute);
            }

            result[id] = entry;
        }

        return result;
    }
}
