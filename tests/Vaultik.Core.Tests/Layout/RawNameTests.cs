using System.Text;
using Vaultik.Core.Layout;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Tests.Layout;

/// <summary>The escaped form of names: exact cases, every short byte string, and random ones round-trip.</summary>
public sealed class RawNameTests
{
    [Theory]
    [InlineData(new byte[] { 0x61, 0x62 }, "ab")]
    [InlineData(new byte[] { 0xff }, @"\xff")]
    [InlineData(new byte[] { 0xc3, 0x28 }, @"\xc3(")]
    [InlineData(new byte[] { 0x80 }, @"\x80")]
    [InlineData(new byte[] { 0xc3, 0xa9 }, "é")]
    [InlineData(new byte[] { 0x5c }, @"\\")]
    [InlineData(new byte[] { 0x5c, 0x78, 0x66, 0x66 }, @"\\xff")]
    [InlineData(new byte[] { 0xed, 0xa0, 0x80 }, @"\xed\xa0\x80")] // an encoded surrogate is not valid UTF-8
    [InlineData(new byte[] { 0xf0, 0x9f, 0x98, 0x80 }, "\U0001F600")]
    [InlineData(new byte[] { 0xf0, 0x9f, 0x98 }, @"\xf0\x9f\x98")] // truncated 4-byte sequence
    [InlineData(new byte[] { 0x0a, 0x1b }, "\n\u001b")] // controls are valid UTF-8: kept as they are
    public void Escape_gives_the_documented_form_and_unescape_inverts_it(byte[] bytes, string escaped)
    {
        Assert.Equal(escaped, RawName.Escape(bytes));
        Assert.Equal(bytes, RawName.Unescape(escaped));
        Assert.Equal(escaped, RawName.Canonical(escaped));
        Assert.Equal(bytes.Length, RawName.ByteCount(escaped));
    }

    [Theory]
    [InlineData(@"\x41", "A")] // an escape of a byte that needs none is read, and canonically not escaped
    [InlineData(@"a\b", @"a\\b")] // a lone backslash is itself
    [InlineData(@"end\", @"end\\")]
    [InlineData(@"\xg1", @"\\xg1")]
    [InlineData(@"\n\t\r", "\n\t\r")] // what terminal output shows can be typed back
    [InlineData(@"\u009b", "\u009b")]
    [InlineData(@"\xC3\xA9", "é")]
    public void What_a_user_types_is_read_leniently_into_the_canonical_form(string typed, string canonical) =>
        Assert.Equal(canonical, RawName.Canonical(typed));

    [Fact]
    public void Every_byte_string_up_to_two_bytes_and_every_byte_pair_after_a_lead_round_trips()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var a = 1; a < 256; a++)
        {
            RoundTrips([(byte)a], seen);
            for (var b = 1; b < 256; b++)
            {
                RoundTrips([(byte)a, (byte)b], seen);
            }
        }

        // Distinct byte strings never share an escaped form.
        Assert.Equal(255 + (255 * 255), seen.Count);
    }

    [Fact]
    public void Random_byte_strings_round_trip_and_their_escaped_form_is_valid_utf16()
    {
        var random = new Random(18);
        var seen = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 40)];
            random.NextBytes(bytes);
            for (var j = 0; j < bytes.Length; j++)
            {
                bytes[j] = bytes[j] == 0 ? (byte)'\\' : bytes[j];
            }

            var escaped = RawName.Escape(bytes);
            Assert.Equal(bytes, RawName.Unescape(escaped));
            Assert.Equal(escaped, RawName.Canonical(escaped));
            Assert.Equal(escaped, Encoding.UTF8.GetString(new UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(escaped)));
            if (seen.TryGetValue(escaped, out var other))
            {
                Assert.Equal(other, bytes);
            }

            seen[escaped] = bytes;
        }
    }

    [Theory]
    [InlineData(@"a\x2fb")] // an escaped '/' would hide a component boundary
    [InlineData(@"a\x00b")] // an escaped NUL would cut the name short
    [InlineData(@"\x2e\x2e/etc")] // an escaped '..'
    [InlineData(@"a\b")] // a lone backslash: not what Vaultik writes
    public void A_snapshot_path_not_in_the_canonical_form_breaks_the_path_rule(string path) =>
        Assert.Equal(SnapshotPathFault.NotCanonical, SnapshotPathRule.Find(path)?.Fault);

    [Fact]
    public void A_name_of_255_bytes_written_as_escapes_is_within_the_name_limit()
    {
        var name = string.Concat(Enumerable.Repeat(@"\xff", 255));
        Assert.Null(SnapshotPathRule.Find("dir/" + name));
        Assert.Equal(SnapshotPathFault.NameTooLong, SnapshotPathRule.Find("dir/" + name + @"\xff")?.Fault);
    }

    private static void RoundTrips(byte[] bytes, HashSet<string> seen)
    {
        var escaped = RawName.Escape(bytes);
        Assert.Equal(bytes, RawName.Unescape(escaped));
        Assert.True(seen.Add(escaped), $"two byte strings escape to {escaped}");
    }
}
