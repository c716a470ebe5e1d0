using Vaultik.Core.Layout;



namespace Vaultik.Core.Tests.Layout;

public sealed class SnapshotIdTests
{
    [Fact]
    public void An_id_starts_with_the_utc_time_then_host_and_name_and_parses_back()
    {
        var when = new DateTimeOffset(2026, 11, 24, 22, 15, 30, TimeSpan.FromHours(2));
        var id = SnapshotId.Create(when, "My.Host-01", "home dir");
        Assert.Matches(@"^2026-11-24-201530-my\.host_01-home_dir-[0-9a-f]{8}$", id.Value);
        Assert.Equal(id, SnapshotId.Parse(id.ToString()));
        Assert.Equal(when.ToUniversalTime().AddTicks(0), id.Timestamp);
    }

    [Theory]
    [InlineData("2026-11-24-201530-myhost-home-4f2a", true)]
    [InlineData("2026-11-24-201530-myhost-home-4f2a09bc", true)]
    [InlineData("2026-11-24-201530-myhost-home-4f2a0", false)]
    [InlineData("2026-11-24-201530-myhost-home-4f2a09bc1", false)]
    public void Ids_of_older_stores_with_four_hex_digits_still_parse_and_other_lengths_do_not(string text, bool parses)
    {
        Assert.Equal(parses, SnapshotId.TryParse(text, out _));
    }

    [Fact]
    public void Fifty_thousand_ids_made_in_one_second_collide_no_more_than_32_random_bits_allow()
    {
        // 50,000 ids of 32 random bits are expected to hold 0.29 colliding pairs (n^2 / 2^33), so a collision or two
        // is chance, not a defect (the create-only writes catch one); ten or more has odds below 1e-11. Four hex
        // digits collided about 2 % of the time for just 50 ids.
        var when = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 50_000).Select(_ => SnapshotId.Create(when, "h", "n").Value).ToHashSet();
        Assert.True(ids.Count >= 49_990, $"{50_000 - ids.Count} collisions");
    }

    [Fact]
    public void Two_ids_in_the_same_second_differ_and_ids_sort_chronologically()
    {
        var when = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 50).Select(_ => SnapshotId.Create(when, "h", "n").Value).ToHashSet();
        // 50 ids of 32 random bits collide with a chance of about 3 in 10 million: any collision is a defect.
        Assert.Equal(50, ids.Count);
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
