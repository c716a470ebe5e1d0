using Vaultik.Age;
using AgeFile = Vaultik.Age.Age;
using Vaultik.Core.Util;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Packing;

/// <summary>
/// Packs zstd frames into one blob: frames are appended to an age encryption stream (to every recipient)
/// that writes through a SHA-256 hasher into a temporary file. <see cref="Seal"/> finishes the age file and
/// returns the blob's hash, size and chunk table. Memory use is one age STREAM chunk, whatever the blob size.
/// </summary>
public sealed class BlobWriter : IDisposable
{
    private readonly List<PackedChunk> _chunks = [];
    private readonly FileStream _file;
    private readonly HashingWriteStream _hashing;
    private readonly Stream _age;
    private readonly long _sizeLimit;
    private bool _sealed;

    public BlobWriter(string tempDirectory, IReadOnlyList<IRecipient> recipients, long sizeLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sizeLimit, 1);
        _sizeLimit = sizeLimit;
        PrivateFiles.CreateDirectory(tempDirectory);
        TempPath = Path.Combine(tempDirectory, $"blob-{Guid.NewGuid():N}.tmp");
        _file = PrivateFiles.Open(TempPath, FileMode.CreateNew, FileAccess.ReadWrite);
        _hashing = new HashingWriteStream(_file, leaveOpen: true);
        try
        {
            _age = AgeFile.Encrypt(_hashing, recipients, leaveOpen: true);
        }
        catch (AgeException ex)
        {
            // A recipient age refuses (a low-order point): reported as a VaultikException with age's message, as before.
            throw new VaultikException(ex.Message, ex);
        }
    }

    public string TempPath { get; }

    /// <summary>Bytes of frames written so far (the blob's plaintext length).</summary>
    public long PlaintextLength { get; private set; }

    public int ChunkCount => _chunks.Count;

    /// <summary>True when a frame of <paramref name="frameLength"/> bytes still fits under the size limit
    /// (an empty blob accepts any frame).</summary>
    public bool HasRoomFor(int frameLength) => _chunks.Count == 0 || PlaintextLength + frameLength <= _sizeLimit;

    public void Add(Hash256 chunkHash, ReadOnlySpan<byte> frame, int plainLength)
    {
        ObjectDisposedException.ThrowIf(_sealed, this);
        _age.Write(frame);
        _chunks.Add(new PackedChunk(chunkHash, PlaintextLength, frame.Length, plainLength));
        PlaintextLength += frame.Length;
    }

    /// <summary>Finishes the age file, flushes it to disk and describes the blob. The temp file is the caller's from now on.</summary>
    public SealedBlob Seal()
    {
        ObjectDisposedException.ThrowIf(_sealed, this);
        _sealed = true;
        _age.Dispose();
        _hashing.Flush();

        // Not fsynced: this is a staging copy, and the store makes the stored object durable.
        _file.Flush();
        var size = _file.Length;
        _file.Dispose();
        var hash = _hashing.GetHash();
        _hashing.Dispose();
        return new SealedBlob(hash, size, TempPath, _chunks.ToArray());
    }

    /// <summary>Abandons an unsealed blob and deletes its temp file.</summary>
    public void Dispose()
    {
        if (_sealed)
        {
            return;
        }

        _sealed = true;
        _age.Dispose();
        _hashing.Dispose();
        _file.Dispose();
        File.Delete(TempPath);
    }
}
