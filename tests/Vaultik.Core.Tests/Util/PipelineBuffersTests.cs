using Vaultik.Core.Util;

namespace Vaultik.Core.Tests.Util;

public sealed class PipelineBuffersTests
{
    [Fact]
    public void Buffers_are_reused_first_in_first_out_and_never_more_than_capacity_are_kept()
    {
        var buffers = new PipelineBuffers(4096, capacity: 3);
        var rented = Enumerable.Range(0, 5).Select(_ => buffers.Rent()).ToList();
        Assert.Equal(5, buffers.Created);
        Assert.All(rented, b => Assert.Equal(4096, b.Length));

        foreach (var b in rented)
        {
            buffers.Return(b);
        }

        // Only the first three returned were kept, handed out again in the order they came back.
        Assert.Same(rented[0], buffers.Rent());
        Assert.Same(rented[1], buffers.Rent());
        Assert.Same(rented[2], buffers.Rent());
        Assert.NotSame(rented[3], buffers.Rent());
        Assert.Equal(6, buffers.Created);
    }

    [Fact]
    public void A_buffer_of_another_length_is_not_kept()
    {
        var buffers = new PipelineBuffers(1024, capacity: 4);
        buffers.Return(new byte[2048]);
        var next = buffers.Rent();
        Assert.Equal(1024, next.Length);
        Assert.Equal(1, buffers.Created);
    }
}
