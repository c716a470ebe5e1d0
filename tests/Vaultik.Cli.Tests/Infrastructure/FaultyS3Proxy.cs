using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vaultik.Cli.Tests.Infrastructure;

/// <summary>
/// A loopback TCP proxy in front of the test S3 server that, for a given share of HTTP requests, answers
/// 503 SlowDown, resets the connection, stalls past the client's timeout, or forwards the request but cuts
/// the response short. Requests are told apart by parsing each request head (Content-Length bodies), so the
/// rate is per request even on kept-alive connections. SigV4 still verifies: the bytes, Host header included,
/// pass unchanged.
/// </summary>
public sealed class FaultyS3Proxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _upstream;
    private readonly TimeSpan _stall;
    private readonly Random _random;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _requests;
    private int _faults;
    private long _bytesToClient;

    /// <param name="stall">How long a stalled request is held: longer than the client's s3.timeout.</param>
    public FaultyS3Proxy(string upstream, double rate, TimeSpan stall, int seed)
    {
        _upstream = new Uri(upstream);
        Rate = rate;
        _stall = stall;
        _random = new Random(seed);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Endpoint => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public int Requests => Volatile.Read(ref _requests);

    public int Faults => Volatile.Read(ref _faults);

    /// <summary>Every byte the server's responses carried to the client (heads and bodies), counted here, outside vaultik.</summary>
    public long BytesToClient => Interlocked.Read(ref _bytesToClient);

    /// <summary>The share of requests to fail from now on (0 lets everything through).</summary>
    public double Rate { get; set; }

    /// <summary>
    /// When set, the next request whose request line (e.g. <c>PUT /bucket/key?partNumber=2&amp;uploadId=… HTTP/1.1</c>)
    /// it matches is answered 503 SlowDown without being forwarded, once; then it is cleared. (A reset is not used:
    /// .NET's HTTP stack re-sends a request whose reused connection was reset, so the client would never see it.)
    /// </summary>
    public Func<string, bool>? SlowDownOnce { get; set; }

    /// <summary>Every request line seen, in arrival order (the failed one too).</summary>
    public IReadOnlyList<string> RequestLines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    private readonly List<string> _lines = [];

    /// <summary>When set, every request whose request line it matches is answered 503 SlowDown, not forwarded.</summary>
    public Func<string, bool>? SlowDownAlways { get; set; }

    /// <summary>When set, how long each forwarded request (by its request line) is held before it goes to the server.</summary>
    public Func<string, TimeSpan>? DelayRequest { get; set; }

    /// <summary>
    /// In order: <c>begin LINE</c> when a request head arrives, <c>503 LINE</c> once a SlowDown reply was written,
    /// <c>end LINE</c> once the first bytes of its forwarded response were written to the client (for bodiless
    /// responses such as UploadPart's and AbortMultipartUpload's, the whole response).
    /// </summary>
    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_lines)
            {
                return [.. _events];
            }
        }
    }

    private readonly List<string> _events = [];

    private void Record(string what, string line)
    {
        lock (_lines)
        {
            _events.Add($"{what} {line}");
        }
    }

    private static string LineOf(HttpHead head) => Encoding.ASCII.GetString(head.Bytes, 0, Math.Max(0, Array.IndexOf(head.Bytes, (byte)'\r')));

    /// <summary>Fewer bytes than any S3 response head (status line, Date, x-amz-request-id, Content-Length).</summary>
    private const int MinResponseHead = 96;

    private enum Fault
    {
        None,
        SlowDown,
        Reset,
        Stall,
        TruncateResponse,
    }

    private Fault Pick(HttpHead head)
    {
        Interlocked.Increment(ref _requests);
        var line = LineOf(head);
        lock (_lines)
        {
            _lines.Add(line);
            _events.Add($"begin {line}");
            if (SlowDownAlways is { } always && always(line))
            {
                Interlocked.Increment(ref _faults);
                return Fault.SlowDown;
            }

            if (SlowDownOnce is { } match && match(line))
            {
                SlowDownOnce = null;
                Interlocked.Increment(ref _faults);
                return Fault.SlowDown;
            }
        }

        lock (_random)
        {
            if (_random.NextDouble() >= Rate)
            {
                return Fault.None;
            }

            Interlocked.Increment(ref _faults);
            return (Fault)(1 + _random.Next(4));
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        using var server = new TcpClient();
        try
        {
            await server.ConnectAsync(_upstream.Host, _upstream.Port, _stop.Token);
            var fromClient = client.GetStream();
            var toServer = server.GetStream();
            var cutResponseAfter = new StrongBox(-1);
            var pending = new PendingLine();
            using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var responses = PumpResponsesAsync(toServer, fromClient, cutResponseAfter, pending, client, server, connection.Token);
            var reader = new HttpHeadReader(fromClient);
            while (true)
            {
                var head = await reader.ReadHeadAsync(connection.Token);
                if (head is null)
                {
                    break;
                }

                var fault = Pick(head);
                if (fault == Fault.SlowDown)
                {
                    var body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>";
                    var reply = $"HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: {Encoding.ASCII.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
                    await fromClient.WriteAsync(Encoding.ASCII.GetBytes(reply), connection.Token);
                    Record("503", LineOf(head));
                    client.Client.Shutdown(SocketShutdown.Send);
                    await Task.Delay(200, connection.Token);
                    break;
                }

                if (fault == Fault.Reset)
                {
                    Reset(client);
                    break;
                }

                if (fault == Fault.Stall)
                {
                    await Task.Delay(_stall, connection.Token);
                    Reset(client);
                    break;
                }

                if (fault == Fault.TruncateResponse)
                {
                    // Anywhere in the first 16 KiB, so large bodies are cut mid-way too; but when every request
                    // must fail (rate 1), inside the response head: a short reply must not slip through whole.
                    int cut;
                    lock (_random)
                    {
                        cut = _random.Next(0, Rate >= 1 ? MinResponseHead : 16 << 10);
                    }

                    lock (cutResponseAfter)
                    {
                        cutResponseAfter.Value = cut;
                    }
                }

                if (DelayRequest?.Invoke(LineOf(head)) is { } delay && delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, connection.Token);
                }

                Volatile.Write(ref pending.Line, LineOf(head));
                await toServer.WriteAsync(head.Bytes, connection.Token);
                await reader.CopyBodyAsync(head.ContentLength, toServer, connection.Token);
                if (head.Chunked)
                {
                    // Not parsed: pass the rest of this connection through untouched.
                    await reader.CopyRestAsync(toServer, connection.Token);
                    break;
                }
            }

            await connection.CancelAsync();
            await Task.WhenAny(responses);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client or the server went away (or we cut them off): this connection is done.
        }
    }

    private async Task PumpResponsesAsync(NetworkStream from, NetworkStream to, StrongBox cut, PendingLine pending, TcpClient client, TcpClient server, CancellationToken token)
    {
        var buffer = new byte[16 << 10];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, token);
                if (read == 0)
                {
                    client.Client.Shutdown(SocketShutdown.Send);
                    return;
                }

                int allowed;
                lock (cut)
                {
                    allowed = cut.Value < 0 ? read : Math.Min(read, cut.Value);
                    if (cut.Value >= 0)
                    {
                        cut.Value -= allowed;
                    }
                }

                await to.WriteAsync(buffer.AsMemory(0, allowed), token);
                Interlocked.Add(ref _bytesToClient, allowed);
                if (Interlocked.Exchange(ref pending.Line, null) is { } answered)
                {
                    Record("end", answered);
                }

                if (allowed < read || cut.Value == 0)
                {
                    Reset(client);
                    server.Close();
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static void Reset(TcpClient client)
    {
        client.Client.LingerState = new LingerOption(true, 0);
        client.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private sealed class PendingLine
    {
        public string? Line;
    }

    private sealed class StrongBox(int value)
    {
        public int Value = value;
    }
}
