namespace Vaultik.Core.Storage;

/// <summary>A byte range of an object: <see cref="Length"/> bytes starting at <see cref="Offset"/>.</summary>
public readonly record struct ByteRange
{
    public ByteRange(long offset, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Offset = offset;
        Length = length;
    }

    public long Offset { get; }

    public long Length { get; }

    /// <summary>One past the last byte.</summary>
    public long End => Offset + Length;

    public override string ToString() => $"bytes {Offset}-{End - 1}";
}
