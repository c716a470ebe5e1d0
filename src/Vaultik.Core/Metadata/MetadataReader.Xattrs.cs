using Vaultik.Core.Platform;
using Vaultik.Core.Source;

namespace Vaultik.Core.Metadata;

/// <summary>The extended attributes of <see cref="MetadataReader"/>'s entries (format 4; a format 2 or 3 snapshot has none).</summary>
public sealed partial class MetadataReader
{
    /// <summary>
    /// The attributes of entry <paramref name="fileId"/> in name-byte order. Rows that break the format's rules (a
    /// name that is not a blob of a stored namespace, a value that is not a blob of at most 64 KiB; only a hostile
    /// format 2 database can hold them, a replayed stream is checked) are counted in Refused and left out.
    /// </summary>
    public (List<ExtendedAttribute> Attributes, int Refused) Xattrs(long fileId) => Query(db =>
    {
        var list = new List<ExtendedAttribute>();
        var bad = 0;
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT name, value, typeof(name) = 'blob' AND typeof(value) = 'blob' FROM xattrs WHERE file_id = $f ORDER BY name;";
        cmd.Parameters.AddWithValue("$f", fileId);
        using var r = cmd.ExecuteReader();
        var total = 0;
        while (r.Read())
        {
            var attribute = r.GetBoolean(2) ? new ExtendedAttribute((byte[])r.GetValue(0), (byte[])r.GetValue(1)) : null;
            if (attribute is null || !AttributeRules.IsStored(attribute.Name) || attribute.Value.Length > AttributeRules.MaxValueBytes
                || (total += AttributeRules.Cost(attribute)) > AttributeRules.MaxEntryBytes)
            {
                bad++;
                continue;
            }

            list.Add(attribute);
        }

        return (list, bad);
    });
}
