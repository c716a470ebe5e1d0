using Vaultik.Core.Index;

namespace Vaultik.Core.Tests.Index;

public sealed class ChunkIdListTests
{
    [Fact]
    public void Ids_round_trip_as_varints_of_one_to_ten_bytes()
    {
        long[] ids = [1, 127, 128, 16_383, 16_384, 1_000_000, long.MaxValue, -1];
        var buffer = new byte[ids.Length * ChunkIdList.MaxBytesPerId];
        var length = 0;
        foreach (var id in ids)
        {
            length = ChunkIdList.Write(buffer, length, id);
        }

        Assert.Equal(1 + 1 + 2 + 2 + 3 + 3 + 9 + 10, length);
        var bytes = buffer.AsSpan(0, length).ToArray();
        Assert.Equal(ids.Length, ChunkIdList.Count(bytes));
        var offset = 0;
        foreach (var id in ids)
        {
            Assert.True(ChunkIdList.TryRead(bytes, ref offset, out var read));
            Assert.Equal(id, read);
        }

        Assert.Equal(length, offset);
    }

    [Fact]
    public void A_list_cut_inside_an_id_does_not_read()
    {
        var offset = 0;
        Assert.False(ChunkIdList.TryRead(new byte[] { 0x80, 0x81 }, ref offset, out _));
    }
}
