using Microsoft.Data.Sqlite;
using Vaultik.Core.Metadata;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Search;

/// <summary>
/// <c>vaultik find</c>'s work. Each snapshot in turn is opened through the <see cref="MetadataCache"/> and asked
/// one SQL query (the glob's GLOB prefilter on the path index, <see cref="FindGlob"/>); its candidates are
/// matched exactly and the matches spooled into a private results database, so one snapshot database is open
/// at a time and memory holds no list of matches. The results are then read back in path order and each
/// path's history across the snapshots (oldest first) goes to the sink.
/// </summary>
public sealed class SnapshotFinder
{
    private readonly MetadataCache _cache;
    private readonly FindGlob _glob;

    public SnapshotFinder(MetadataCache cache, FindGlob glob)
    {
        _cache = cache;
        _glob = glob;
    }

    public async Task<FindSummary> RunAsync(IReadOnlyList<SnapshotManifest> snapshots, string workDirectory, IFindSink sink, CancellationToken cancellationToken)
    {
        PrivateFiles.CreateDirectory(workDirectory);
        var resultsPath = Path.Combine(workDirectory, "find-results.db");
        PrivateFiles.EnsureFile(resultsPath);
        using var results = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = resultsPath, Pooling = false }.ToString());
        results.Open();
        Exec(results, """
            PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
            CREATE TABLE m (path TEXT NOT NULL, snap INTEGER NOT NULL, type TEXT NOT NULL, size INTEGER NOT NULL, mtime INTEGER NOT NULL, PRIMARY KEY (path, snap)) WITHOUT ROWID;
            """);
        var fromCache = 0;
        for (var i = 0; i < snapshots.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var metadata = await _cache.OpenAsync(snapshots[i], cancellationToken).ConfigureAwait(false);
            fromCache += metadata.FromCache ? 1 : 0;
            Spool(metadata.Reader, i, results);
        }

        return Report(snapshots, results, sink, fromCache, cancellationToken);
    }

    /// <summary>One snapshot's matches into the results table, in one transaction.</summary>
    private void Spool(MetadataReader reader, int snapshot, SqliteConnection results)
    {
        using var tx = results.BeginTransaction();
        using var insert = results.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT OR IGNORE INTO m (path, snap, type, size, mtime) VALUES ($p, $s, $t, $z, $m);";
        var p = insert.Parameters.Add("$p", SqliteType.Text);
        insert.Parameters.AddWithValue("$s", snapshot);
        var t = insert.Parameters.Add("$t", SqliteType.Text);
        var z = insert.Parameters.Add("$z", SqliteType.Integer);
        var m = insert.Parameters.Add("$m", SqliteType.Integer);
        reader.Query(db =>
        {
            using var cmd = db.CreateCommand();
            cmd.CommandText = $"SELECT {MetadataSql.EntryColumns} FROM files WHERE {_glob.SqlCondition};";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var entry = MetadataReader.ReadEntry(r);
                if (entry.Type == MetadataSchema.TypeMalformed || !_glob.IsMatch(entry.Path, entry.Type == MetadataSchema.TypeDirectory))
                {
                    continue;
                }

                p.Value = entry.Path;
                t.Value = entry.HardlinkTo is null ? entry.Type : "hardlink";
                z.Value = entry.Size;
                m.Value = entry.MtimeNs;
                insert.ExecuteNonQuery();
            }

            return 0;
        });
        tx.Commit();
    }

    private static FindSummary Report(IReadOnlyList<SnapshotManifest> snapshots, SqliteConnection results, IFindSink sink, int fromCache, CancellationToken cancellationToken)
    {
        using var cmd = results.CreateCommand();
        cmd.CommandText = "SELECT path, snap, type, size, mtime FROM m ORDER BY path, snap;";
        using var r = cmd.ExecuteReader();
        long paths = 0, matches = 0;
        string? current = null;
        var present = new (string Type, long Size, long Mtime)?[snapshots.Count];
        void Flush()
        {
            if (current is null)
            {
                return;
            }

            var history = History(snapshots, present);
            paths++;
            matches += history.Count(e => e.IsMatch);
            sink.Path(current, history);
            Array.Clear(present);
        }

        while (r.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = r.GetString(0);
            if (path != current)
            {
                Flush();
                current = path;
            }

            present[r.GetInt32(1)] = (r.GetString(2), r.GetInt64(3), r.GetInt64(4));
        }

        Flush();
        return new FindSummary(snapshots.Count, fromCache, paths, matches);
    }

    private static List<FindEvent> History(IReadOnlyList<SnapshotManifest> snapshots, (string Type, long Size, long Mtime)?[] present)
    {
        var history = new List<FindEvent>();
        (string Type, long Size, long Mtime)? previous = null;
        var seen = false;
        for (var i = 0; i < snapshots.Count; i++)
        {
            var now = present[i];
            if (now is { } hit)
            {
                var changed = new List<string>();
                string kind;
                if (previous is { } before)
                {
                    if (before.Type != hit.Type)
                    {
                        changed.Add("type");
                    }

                    if (before.Size != hit.Size)
                    {
                        changed.Add("size");
                    }

                    if (before.Mtime != hit.Mtime)
                    {
                        changed.Add("mtime");
                    }

                    kind = changed.Count == 0 ? FindEvent.Unchanged : FindEvent.ChangedEvent;
                }
                else
                {
                    kind = seen ? FindEvent.Reappeared : FindEvent.Appeared;
                }

                history.Add(new FindEvent(snapshots[i], kind, changed, hit.Type, hit.Size, hit.Mtime));
                seen = true;
            }
            else if (previous is not null)
            {
                history.Add(new FindEvent(snapshots[i], FindEvent.Disappeared, [], null, null, null));
            }

            previous = now;
        }

        return history;
    }

    private static void Exec(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
