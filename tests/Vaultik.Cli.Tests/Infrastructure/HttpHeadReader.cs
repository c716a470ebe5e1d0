using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vaultik.Cli.Tests.Infrastructure;

/// <summary>Reads HTTP/1.1 message heads and copies bodies from one socket to another, for <see cref="FaultyS3Proxy"/>.</summary>
internal sealed class HttpHeadReader(NetworkStream stream)
{
    private readonly byte[] _buffer = new byte[64 << 10];
    private int _start;
    private int _end;

    public async Task<HttpHead?> ReadHeadAsync(CancellationToken token)
    {
        while (true)
        {
            var end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var bytes = _buffer.AsSpan(_start, end + 4).ToArray();
                _start += end + 4;
                var text = Encoding.ASCII.GetString(bytes);
                long length = 0;
                var chunked = false;
                foreach (var line in text.Split("\r\n"))
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    if (colon < 0)
                    {
                        continue;
                    }

                    var name = line[..colon].Trim();
                    var value = line[(colon + 1)..].Trim();
                    if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                    {
                        length = long.Parse(value, CultureInfo.InvariantCulture);
                    }
                    else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && value.Contains("chunked", StringComparison.OrdinalIgnoreCase))
                    {
                        chunked = true;
                    }
                }

                return new HttpHead(bytes, length, chunked);
            }

            if (!await FillAsync(token))
            {
                return null;
            }
        }
    }

    public async Task CopyBodyAsync(long length, NetworkStream to, CancellationToken token)
    {
        while (length > 0)
        {
            if (_start == _end && !await FillAsync(token))
            {
                throw new IOException("the client closed the connection mid-body");
            }

            var take = (int)Math.Min(length, _end - _start);
            await to.WriteAsync(_buffer.AsMemory(_start, take), token);
            _start += take;
            length -= take;
        }
    }

    public async Task CopyRestAsync(NetworkStream to, CancellationToken token)
    {
        do
        {
            await to.WriteAsync(_buffer.AsMemory(_start, _end - _start), token);
            _start = _end;
        }
        while (await FillAsync(token));
    }

    private async Task<bool> FillAsync(CancellationToken token)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new IOException("request head larger than 64 KiB");
        }

        var read = await stream.ReadAsync(_buffer.AsMemory(_end), token);
        _end += read;
        return read > 0;
    }
}
