using System.Buffers;
using System.Text.Json;

namespace Vaultik.Core.Metadata;

/// <summary>
/// The token-by-token half of <see cref="ManifestScanner"/>: copies every token outside the top-level <c>blobs</c>
/// list to a header (where the list becomes <c>[]</c>) and turns each entry of the list into a checked
/// (hash, size) pair for the callback.
/// </summary>
internal sealed class ManifestBlobStreamer
{
    private readonly string _key;
    private readonly Action<Hash256, long>? _onBlob;
    private readonly ArrayBufferWriter<byte> _header = new();
    private readonly Utf8JsonWriter _writer;
    private string? _property;
    private bool _sawBlobs;
    private bool _inBlobs;
    private int _skipDepth = -1;
    private string? _blobProperty;
    private Hash256? _hash;
    private bool _hashBad;
    private long _size;

    public ManifestBlobStreamer(string key, Action<Hash256, long>? onBlob)
    {
        _key = key;
        _onBlob = onBlob;
        _writer = new Utf8JsonWriter(_header);
    }

    public long Count { get; private set; }

    public long Bytes { get; private set; }

    public bool Done { get; private set; }

    public int HeaderLength => _header.WrittenCount + (int)_writer.BytesPending;

    public ReadOnlySpan<byte> Header()
    {
        _writer.Flush();
        return _header.WrittenSpan;
    }

    /// <summary>Reads the complete tokens of <paramref name="data"/>; returns how many bytes it consumed.</summary>
    public int Feed(ReadOnlySpan<byte> data, bool final, ref JsonReaderState state)
    {
        var reader = new Utf8JsonReader(data, final, state);
        while (reader.Read())
        {
            if (Done)
            {
                throw new JsonException("data after the manifest's object");
            }

            if (_inBlobs)
            {
                Blob(ref reader);
            }
            else
            {
                Copy(ref reader);
            }
        }

        state = reader.CurrentState;
        return (int)reader.BytesConsumed;
    }

    private void Copy(ref Utf8JsonReader reader)
    {
        if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
        {
            _property = reader.GetString();
            if (_property == "blobs")
            {
                if (_sawBlobs)
                {
                    throw new CorruptDataException($"cannot read manifest {_key}: it has two blob lists");
                }

                _sawBlobs = true;
                _inBlobs = true;
                return;
            }
        }

        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject: _writer.WriteStartObject(); break;
            case JsonTokenType.EndObject:
                _writer.WriteEndObject();
                Done = reader.CurrentDepth == 0;
                break;
            case JsonTokenType.StartArray: _writer.WriteStartArray(); break;
            case JsonTokenType.EndArray: _writer.WriteEndArray(); break;
            case JsonTokenType.PropertyName: _writer.WritePropertyName(reader.GetString()!); break;
            case JsonTokenType.String: _writer.WriteStringValue(reader.GetString()); break;
            case JsonTokenType.Number: _writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true); break;
            case JsonTokenType.True: _writer.WriteBooleanValue(true); break;
            case JsonTokenType.False: _writer.WriteBooleanValue(false); break;
            case JsonTokenType.Null: _writer.WriteNullValue(); break;
            default: throw new JsonException($"unexpected token {reader.TokenType}");
        }

        if (reader.CurrentDepth == 0 && reader.TokenType != JsonTokenType.StartObject && reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException("the manifest is not a JSON object");
        }
    }

    private void Blob(ref Utf8JsonReader reader)
    {
        var depth = reader.CurrentDepth;
        if (_skipDepth >= 0)
        {
            // Inside the value of an unknown property of an entry (ignored, as the full parser ignores it).
            if (depth == _skipDepth && reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                _skipDepth = -1;
            }

            return;
        }

        switch (depth, reader.TokenType)
        {
            case (1, JsonTokenType.StartArray):
                return;
            case (1, JsonTokenType.Null):
                // "blobs": null: the header keeps it, and the codec refuses it as a missing field.
                _writer.WritePropertyName("blobs");
                _writer.WriteNullValue();
                _inBlobs = false;
                return;
            case (1, JsonTokenType.EndArray):
                _writer.WritePropertyName("blobs");
                _writer.WriteStartArray();
                _writer.WriteEndArray();
                _inBlobs = false;
                return;
            case (1, _):
                throw new JsonException("the blob list is not an array");
            case (2, JsonTokenType.StartObject):
                (_hash, _hashBad, _size, _blobProperty) = (null, false, 0, null);
                return;
            case (2, JsonTokenType.EndObject):
                if (_hash is not { } hash || _hashBad || _size < 0)
                {
                    throw Malformed();
                }

                Count++;
                Bytes += _size;
                _onBlob?.Invoke(hash, _size);
                return;
            case (2, _):
                throw Malformed();
            case (3, JsonTokenType.PropertyName):
                _blobProperty = reader.GetString();
                return;
            default:
                Value(ref reader);
                return;
        }
    }

    private void Value(ref Utf8JsonReader reader)
    {
        switch (_blobProperty)
        {
            case "hash":
                if (reader.TokenType == JsonTokenType.Null)
                {
                    (_hash, _hashBad) = (null, true);
                    return;
                }

                if (reader.TokenType != JsonTokenType.String)
                {
                    throw new JsonException("a blob hash is not a string");
                }

                Hash256 parsed;
                _hashBad = reader.ValueIsEscaped ? !Hash256.TryParse(reader.GetString(), out parsed) : !TryParseLowerHex(reader.ValueSpan, out parsed);
                _hash = parsed;
                return;
            case "size":
                _size = reader.GetInt64();
                return;
            default:
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    _skipDepth = reader.CurrentDepth;
                }

                return;
        }
    }

    /// <summary>What <see cref="Hash256.TryParse"/> accepts (64 lowercase hex digits), read from UTF-8 without a string.</summary>
    private static bool TryParseLowerHex(ReadOnlySpan<byte> utf8, out Hash256 hash)
    {
        hash = default;
        if (utf8.Length != Hash256.Size * 2)
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[Hash256.Size];
        for (var i = 0; i < digest.Length; i++)
        {
            var high = Nibble(utf8[2 * i]);
            var low = Nibble(utf8[(2 * i) + 1]);
            if ((high | low) < 0)
            {
                return false;
            }

            digest[i] = (byte)((high << 4) | low);
        }

        hash = new Hash256(digest);
        return true;
    }

    private static int Nibble(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        _ => -1,
    };

    private CorruptDataException Malformed() => new($"cannot read manifest {_key}: a blob entry is malformed");
}
