using System.Security.Cryptography;

namespace Vaultik.Age;

/// <summary>
/// Random access to the plaintext of a binary (not armored) age file that lives somewhere serving byte ranges,
/// such as an object store with ranged GETs. <see cref="OpenAsync"/> fetches only the header and payload
/// nonce; <see cref="OpenRangeAsync"/> then fetches only the STREAM chunks covering the plaintext range asked
/// for, with one ranged read, and releases each chunk's bytes only after it authenticates.
/// </summary>
public sealed class AgeRangeReader : IDisposable
{
    private const int InitialHeaderRead = 4096;
    private const int MaxHeaderRead = 1 << 20;

    private readonly Func<long, long, CancellationToken, Task<Stream>> _openCiphertext;
    private readonly AgePayloadReader _payload;
    private readonly long _payloadStart;

    private AgeRangeReader(Func<long, long, CancellationToken, Task<Stream>> openCiphertext, AgePayloadReader payload, long payloadStart, long headerBytes)
    {
        _openCiphertext = openCiphertext;
        _payload = payload;
        _payloadStart = payloadStart;
        HeaderBytes = headerBytes;
        BytesFetched = headerBytes;
    }

    /// <summary>Bytes of plaintext in the file.</summary>
    public long PlaintextLength => _payload.PlaintextLength;

    /// <summary>Bytes of ciphertext read to get the header and payload nonce.</summary>
    public long HeaderBytes { get; }

    /// <summary>Bytes of ciphertext asked for so far: <see cref="HeaderBytes"/> plus every range opened.</summary>
    public long BytesFetched { get; private set; }

    /// <summary>
    /// Reads the header (4 KiB first, more when it is longer) and recovers the file key.
    /// </summary>
    /// <param name="encryptedLength">Total bytes of the age file.</param>
    /// <param name="identities">Tried in order on the header's stanzas.</param>
    /// <param name="openCiphertext">Opens (offset, length) of the age file; the stream must hold exactly those bytes.</param>
    /// <exception cref="AgeHeaderException">The header is malformed, its MAC fails, or the file ends after it.</exception>
    /// <exception cref="AgeNoIdentityMatchException">No identity unwraps a stanza.</exception>
    /// <exception cref="AgePayloadException">The payload length is not a valid STREAM length.</exception>
    public static async Task<AgeRangeReader> OpenAsync(
        long encryptedLength, IEnumerable<IIdentity> identities, Func<long, long, CancellationToken, Task<Stream>> openCiphertext,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(encryptedLength);
        var want = Math.Min(encryptedLength, InitialHeaderRead);
        while (true)
        {
            var head = new byte[want];
            await using (var stream = await openCiphertext(0, want, cancellationToken).ConfigureAwait(false))
            {
                await stream.ReadExactlyAsync(head, cancellationToken).ConfigureAwait(false);
            }

            AgeHeader header;
            try
            {
                header = AgeHeader.Read(new MemoryStream(head, writable: false));
            }
            catch (AgeHeaderException) when (want < encryptedLength && want < MaxHeaderRead)
            {
                want = Math.Min(encryptedLength, want * 4);
                continue;
            }

            var payloadStart = header.Length + AgePrimitives.PayloadNonceSize;
            if (payloadStart > want)
            {
                if (payloadStart > encryptedLength)
                {
                    throw new AgeHeaderException("truncated after its header");
                }

                want = payloadStart;
                continue;
            }

            var fileKey = header.UnwrapFileKey(identities);
            try
            {
                var nonce = head.AsSpan((int)header.Length, AgePrimitives.PayloadNonceSize);
                var payload = new AgePayloadReader(fileKey, nonce, encryptedLength - payloadStart);
                return new AgeRangeReader(openCiphertext, payload, payloadStart, want);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(fileKey);
            }
        }
    }

    /// <summary>
    /// A read stream of plaintext bytes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>),
    /// backed by one ranged read of the STREAM chunks that cover them (none for an empty range). Reading it
    /// throws <see cref="AgePayloadException"/> for a chunk that fails authentication and
    /// <see cref="EndOfStreamException"/> when the ranged read returns fewer bytes than asked for.
    /// </summary>
    public async Task<Stream> OpenRangeAsync(long offset, long length, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, PlaintextLength - length, nameof(offset));
        if (length == 0)
        {
            return Stream.Null;
        }

        var (first, count) = AgePayloadReader.ChunksCovering(offset, length);
        var start = _payload.CiphertextOffsetOfChunk(first);
        var end = _payload.CiphertextOffsetOfChunk(first + count - 1) + _payload.CiphertextLengthOfChunk(first + count - 1);
        BytesFetched += end - start;
        var ciphertext = await _openCiphertext(_payloadStart + start, end - start, cancellationToken).ConfigureAwait(false);
        var skip = (int)(offset - (first * AgePrimitives.ChunkSize));
        return new AgeRangeStream(_payload, ciphertext, first, skip, length);
    }

    public void Dispose() => _payload.Dispose();
}
