using System.Threading.Channels;
using Vaultik.Core.Index;
using Vaultik.Core.Packing;
using Vaultik.Core.Storage;
using Vaultik.Core.Layout;
using Vaultik.Core.Util;

namespace Vaultik.Core.Create;

/// <summary>
/// The back half of <c>snapshot create</c>, as stages joined by bounded channels (back-pressure bounds memory):
/// <code>
/// reader (caller's thread) --Submit--> toCompress --(N compressors)--> toPack --(1 packer)--> toUpload --(K uploaders)--> index
/// </code>
/// Chunks travel in batches of up to <see cref="BatchBytes"/> (one chunk per batch when it is larger), so a
/// tree of small files does not pay a channel hand-off, and often a thread wake-up, per chunk. A chunk
/// enters the index only after the blob holding it is in the store.
/// </summary>
internal sealed class CreatePipeline : IAsyncDisposable
{
    /// <summary>Plaintext gathered into one batch before it is handed to a compressor.</summary>
    public const int BatchBytes = 1 << 20;

    private const int MaxBatchChunks = 512;

    /// <summary>The largest chunk the kept buffers are sized for (the default chunk_max_size).</summary>
    private const int MaxPooledChunk = 4 << 20;

    private readonly Channel<Batch> _toCompress;
    private readonly Channel<Batch> _toPack;
    private readonly Channel<SealedBlob> _toUpload;

    private readonly PipelineBuffers _buffers;
    private readonly IObjectStore _store;
    private readonly ChunkCache _chunks;
    private readonly CreateOptions _options;
    private readonly CreateStats _stats;
    private readonly CancellationTokenSource _cts;
    private readonly CancellationToken _callerToken;
    private readonly List<string> _tempFiles = [];
    private readonly Task _completion;

    public CreatePipeline(IObjectStore store, ChunkCache chunks, CreateOptions options, CreateStats stats, CancellationToken cancellationToken)
    {
        _store = store;
        _chunks = chunks;
        _options = options;
        _stats = stats;
        _callerToken = cancellationToken;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var workers = options.CompressionWorkers;
        _toCompress = Channel.CreateBounded<Batch>(new BoundedChannelOptions(workers * 2) { SingleWriter = true });
        _toPack = Channel.CreateBounded<Batch>(new BoundedChannelOptions(workers * 2) { SingleReader = true });
        _toUpload = Channel.CreateBounded<SealedBlob>(new BoundedChannelOptions(Math.Max(1, options.UploadConcurrency)) { SingleWriter = true });
        // The most buffers in flight: the batch being filled, the two queues between reader, compressors and
        // packer (2 × workers each), a plaintext and a frame batch per compressor, and the packer's.
        // Sized for the default chunker's largest chunk at most: a store configured for bigger chunks gets one-off
        // buffers for those rather than a set of 64 MiB ones.
        _buffers = new PipelineBuffers(ChunkCodec.MaxFrameLength(Math.Clamp(options.Chunker.MaxSize, BatchBytes, MaxPooledChunk)), (6 * workers) + 2);

        var compressors = Enumerable.Range(0, workers).Select(_ => Task.Run(CompressAsync)).ToArray();
        var compressDone = Task.WhenAll(compressors).ContinueWith(t => _toPack.Writer.TryComplete(t.Exception?.GetBaseException()), TaskScheduler.Default);
        var packer = Task.Run(PackAsync);
        var uploaders = Enumerable.Range(0, Math.Max(1, options.UploadConcurrency)).Select(_ => Task.Run(UploadAsync)).ToArray();
        _completion = WatchAsync(Task.WhenAll([.. compressors, compressDone, packer, .. uploaders]));
    }

    private Batch? _filling;
    private volatile bool _failed;

    /// <summary>
    /// True once a stage (compress, pack, upload) has failed: an exception out of <see cref="Submit"/> is then that
    /// stage's failure (a full staging disk is an <see cref="IOException"/> too), not a problem with the file being read.
    /// </summary>
    public bool HasFailed => _failed;

    /// <summary>Queues a new chunk's plaintext (copied) for compression; blocks while the pipeline is full.</summary>
    public void Submit(Hash256 hash, ReadOnlySpan<byte> plain)
    {
        if (_filling is { } open && (open.Length + plain.Length > open.Buffer.Length || open.Chunks.Count == MaxBatchChunks))
        {
            Send(open);
        }

        var batch = _filling ??= new Batch(Rent(plain.Length));
        plain.CopyTo(batch.Buffer.AsSpan(batch.Length));
        batch.Chunks.Add(new BatchItem(hash, batch.Length, plain.Length, plain.Length));
        batch.Length += plain.Length;
        if (batch.Length >= BatchBytes)
        {
            Send(batch);
        }
    }

    /// <summary>A pipeline buffer, or for a chunk larger than the chunker's maximum (never in practice) one of its own.</summary>
    private byte[] Rent(int length) => length <= _buffers.Length ? _buffers.Rent() : new byte[length];

    private void Send(Batch batch)
    {
        _filling = null;
        try
        {
            _toCompress.Writer.WriteAsync(batch, _cts.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException)
        {
            _buffers.Return(batch.Buffer);
            _completion.GetAwaiter().GetResult();
            throw;
        }
        catch (OperationCanceledException) when (!_callerToken.IsCancellationRequested)
        {
            // The pipeline cancelled itself after a stage failed: that failure (a full disk, an upload error) is the error.
            _buffers.Return(batch.Buffer);
            _completion.GetAwaiter().GetResult();
            throw;
        }
        catch (OperationCanceledException)
        {
            _buffers.Return(batch.Buffer);
            throw;
        }
    }

    /// <summary>Signals the end of input and waits until every blob is uploaded and indexed.</summary>
    public Task CompleteAsync()
    {
        if (_filling is { } last)
        {
            Send(last);
        }

        _toCompress.Writer.TryComplete();
        return _completion;
    }

    /// <summary>Stops the pipeline after a failure elsewhere.</summary>
    public void Abort(Exception reason)
    {
        _toCompress.Writer.TryComplete(reason);
        _cts.Cancel();
    }

    private async Task WatchAsync(Task all)
    {
        try
        {
            await all.ConfigureAwait(false);
        }
        catch
        {
            _failed = true;
            _cts.Cancel();
            _toCompress.Writer.TryComplete();
            _toPack.Writer.TryComplete();
            _toUpload.Writer.TryComplete();
            throw;
        }
    }

    private async Task CompressAsync()
    {
        using var codec = new ChunkCodec(_options.CompressionLevel, _options.Compression);
        try
        {
            await foreach (var raw in _toCompress.Reader.ReadAllAsync(_cts.Token).ConfigureAwait(false))
            {
                Batch? frames = null;
                try
                {
                    foreach (var chunk in raw.Chunks)
                    {
                        var bound = ChunkCodec.MaxFrameLength(chunk.Length);
                        if (frames is not null && frames.Length + bound > frames.Buffer.Length)
                        {
                            await _toPack.Writer.WriteAsync(frames, _cts.Token).ConfigureAwait(false);
                            frames = null;
                        }

                        frames ??= new Batch(Rent(bound));
                        var frameLength = codec.Compress(raw.Buffer.AsSpan(chunk.Offset, chunk.Length), frames.Buffer.AsSpan(frames.Length));
                        frames.Chunks.Add(new BatchItem(chunk.Hash, frames.Length, frameLength, chunk.Length));
                        frames.Length += frameLength;
                        _stats.Compressed(frameLength);
                    }

                    if (frames is not null)
                    {
                        await _toPack.Writer.WriteAsync(frames, _cts.Token).ConfigureAwait(false);
                        frames = null;
                    }
                }
                finally
                {
                    _buffers.Return(raw.Buffer);
                    if (frames is not null)
                    {
                        _buffers.Return(frames.Buffer);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _toCompress.Writer.TryComplete(ex);
            throw;
        }
    }

    private async Task PackAsync()
    {
        BlobWriter? writer = null;
        try
        {
            await foreach (var frames in _toPack.Reader.ReadAllAsync(_cts.Token).ConfigureAwait(false))
            {
                try
                {
                    foreach (var frame in frames.Chunks)
                    {
                        if (writer is not null && !writer.HasRoomFor(frame.Length))
                        {
                            await _toUpload.Writer.WriteAsync(Seal(writer), _cts.Token).ConfigureAwait(false);
                            writer = null;
                        }

                        writer ??= NewWriter();
                        writer.Add(frame.Hash, frames.Buffer.AsSpan(frame.Offset, frame.Length), frame.PlainLength);
                    }
                }
                finally
                {
                    _buffers.Return(frames.Buffer);
                }
            }

            if (writer is { ChunkCount: > 0 })
            {
                await _toUpload.Writer.WriteAsync(Seal(writer), _cts.Token).ConfigureAwait(false);
                writer = null;
            }

            _toUpload.Writer.TryComplete();
        }
        catch (Exception ex)
        {
            _toUpload.Writer.TryComplete(ex);
            throw;
        }
        finally
        {
            writer?.Dispose();
        }
    }

    private BlobWriter NewWriter()
    {
        var writer = new BlobWriter(_options.TempDirectory, _options.Recipients, _options.BlobSizeLimit);
        lock (_tempFiles)
        {
            _tempFiles.Add(writer.TempPath);
        }

        return writer;
    }

    private static SealedBlob Seal(BlobWriter writer)
    {
        try
        {
            return writer.Seal();
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    private async Task UploadAsync()
    {
        try
        {
            await foreach (var blob in _toUpload.Reader.ReadAllAsync(_cts.Token).ConfigureAwait(false))
            {
                await _store.PutFileAsync(StoreLayout.BlobKey(blob.Hash), blob.TempPath, _cts.Token).ConfigureAwait(false);

                _chunks.RecordBlob(blob);
                File.Delete(blob.TempPath);
                _stats.BlobUploaded(blob.Size);
            }
        }
        catch
        {
            // Stop every stage: with its uploaders gone the packer would wait for room in the upload queue for ever.
            await _cts.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _cts.Cancel();
        _toCompress.Writer.TryComplete();

        // WhenAny never throws: a failure was already surfaced by CompleteAsync or Submit.
        await Task.WhenAny(_completion).ConfigureAwait(false);

        lock (_tempFiles)
        {
            foreach (var path in _tempFiles)
            {
                File.Delete(path);
            }
        }

        _cts.Dispose();
    }

    /// <summary>Chunks (plaintext or compressed frames) laid end to end in one pooled buffer.</summary>
    private sealed class Batch(byte[] buffer)
    {
        public byte[] Buffer { get; } = buffer;

        public int Length { get; set; }

        public List<BatchItem> Chunks { get; } = [];
    }

    /// <param name="Length">Bytes in the batch's buffer (plaintext, or the frame once compressed).</param>
    private readonly record struct BatchItem(Hash256 Hash, int Offset, int Length, int PlainLength);
}
