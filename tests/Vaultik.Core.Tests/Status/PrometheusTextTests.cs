using Vaultik.Core.Status;

namespace Vaultik.Core.Tests.Status;

public sealed class PrometheusTextTests
{
    [Fact]
    public void Label_values_escape_backslash_quote_and_newline()
    {
        var latest = new LatestSnapshot("id", DateTimeOffset.UnixEpoch, DateTimeOffset.FromUnixTimeMilliseconds(1_500), TimeSpan.FromSeconds(2.25), 10, 2, 3, 1);
        var group = new GroupStatus("we\"b\\1\nx", "home", latest, 1, 0, 0, false);
        var text = PrometheusText.Format(new StoreStatus("file:///s", DateTimeOffset.UnixEpoch, null, [group], 0, 0, []));
        Assert.Contains("vaultik_snapshot_size_bytes{host=\"we\\\"b\\\\1\\nx\",name=\"home\"} 10\n", text);
        Assert.Contains("vaultik_snapshot_last_success_timestamp_seconds{host=\"we\\\"b\\\\1\\nx\",name=\"home\"} 1.5\n", text);
        Assert.Contains("vaultik_snapshot_age_seconds{host=\"we\\\"b\\\\1\\nx\",name=\"home\"} 2.25\n", text);
        Assert.Contains("vaultik_status_stale 0\n", text);
        Assert.DoesNotContain("\nx\"", text);
    }

    [Fact]
    public void A_group_without_a_complete_snapshot_has_only_its_counts_and_makes_a_check_with_max_age_stale()
    {
        var group = new GroupStatus("h", "n", null, 0, 2, 1, true);
        var status = new StoreStatus("file:///s", DateTimeOffset.UnixEpoch, TimeSpan.FromHours(1), [group], 1, 7, []);
        var text = PrometheusText.Format(status);
        Assert.DoesNotContain("vaultik_snapshot_age_seconds{", text);
        Assert.Contains("vaultik_snapshots_incomplete{host=\"h\",name=\"n\"} 2\n", text);
        Assert.Contains("vaultik_snapshots_suspect{host=\"h\",name=\"n\"} 1\n", text);
        Assert.Contains("vaultik_store_orphaned_bytes 7\n", text);
        Assert.Contains("vaultik_status_stale 1\n", text);
    }
}
