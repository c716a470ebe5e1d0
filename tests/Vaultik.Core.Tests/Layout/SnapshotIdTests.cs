using Vaultik.Core.Layout;



namespace Vaultik.Core.Tests.Layout;

public sealed class SnapshotIdTests
{
    [Fact]
    public void An_id_starts_with_the_utc_time_then_host_and_name_and_parses_back()
    {
        var when = new DateTimeOffset(2026, 11, 24, 22, 15, 30, TimeSpan.FromHours(2));
        var id = SnapshotId.Create(when, "My.Host-01", "home dir");
        Assert.Matches(@"^2026-11-24-201530-my\.host_01-home_dir-[0-9a-f]{4}$", id.Value);
        Assert.Equal(id, SnapshotId.Parse(id.ToString()));
        Assert.Equal(when.ToUniversalTime().AddTicks(0), id.Timestamp);
    }

    [Fact]
    public void Two_ids_in_the_same_second_differ_and_ids_sort_chronologically()
    {
        var when = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 50).Select(_ => SnapshotId.Create(when, "h", "n").Value).ToHashSet();
        Assert.True(ids.Count >= 49);
        var earlier = SnapshotId.Create(when.AddSeconds(-1), "zzz", "zzz").Value;
        var later = SnapshotId.Create(when, "aaa", "aaa").Value;
        Assert.True(string.CompareOrdinal(earlier, later) < 0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("latest")]
    [InlineData("2026-13-40-999999-h-n-abcd")]
    [InlineData("2026-11-24-201530-h-n-ABCD")]
    [InlineData("2026-11-24-201530-h/../x-n-abcd")]
    [InlineData("../2026-11-24-201530-h-n-abcd")]
    public void Malformed_ids_do_not_parse(string text) => Assert.False(SnapshotId.TryParse(text, out _));
}
