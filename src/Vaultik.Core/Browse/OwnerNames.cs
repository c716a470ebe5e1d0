namespace Vaultik.Core.Browse;

/// <summary>
/// User and group names for stored uids and gids, from the local <c>/etc/passwd</c> and <c>/etc/group</c> (read
/// once, on first use); an id they do not name has no name (callers show the number).
/// </summary>
public sealed class OwnerNames
{
    private readonly string _passwd;
    private readonly string _group;
    private Dictionary<long, string>? _users;
    private Dictionary<long, string>? _groups;

    public OwnerNames(string passwd = "/etc/passwd", string group = "/etc/group")
    {
        _passwd = passwd;
        _group = group;
    }

    public string? User(long uid) => (_users ??= Read(_passwd)).GetValueOrDefault(uid);

    public string? Group(long gid) => (_groups ??= Read(_group)).GetValueOrDefault(gid);

    /// <summary>name:x:id:… lines; the first name for an id wins; a file that cannot be read names nobody.</summary>
    private static Dictionary<long, string> Read(string file)
    {
        var names = new Dictionary<long, string>();
        string[] lines;
        try
        {
            lines = File.ReadAllLines(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // No local names: owners are shown as numbers, as ls does for ids it cannot resolve.
            return names;
        }

        foreach (var line in lines)
        {
            var fields = line.Split(':');
            if (fields.Length >= 3 && fields[0].Length > 0 && long.TryParse(fields[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            {
                names.TryAdd(id, fields[0]);
            }
        }

        return names;
    }
}
