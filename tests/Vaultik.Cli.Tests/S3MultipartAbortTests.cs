using System.Text.RegularExpressions;
using Amazon.S3.Model;
using Vaultik.Cli.Tests.Infrastructure;
using Vaultik.Core.Storage;
using Vaultik.Tests.Shared;

namespace Vaultik.Cli.Tests;

/// <summary>
/// A multipart upload that fails, against the real RGW behind a proxy that holds UploadPart requests and logs when
/// each request arrived and when its response went back: no part starts after the failure, the parts in flight
/// get their answers before AbortMultipartUpload arrives, and nothing is left at the key or as an open upload.
/// </summary>
public sealed class S3MultipartAbortTests : IAsyncLifetime
{
    private const string Key = "blobs/big";
    private readonly string _bucket = $"vaultik-mpa-{Guid.NewGuid():N}"[..30];
    private FaultyS3Proxy? _proxy;

    public async Task InitializeAsync()
    {
        if (S3Fixture.Endpoint is not null)
        {
            await S3Fixture.CreateBucketAsync(_bucket);
            _proxy = new FaultyS3Proxy(S3Fixture.Endpoint, rate: 0, stall: TimeSpan.FromSeconds(4), seed: 5);
        }
    }

    public async Task DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
            await S3Fixture.DeleteBucketAsync(_bucket);
        }
    }

    [SkippableFact]
    public async Task A_part_that_fails_for_good_stops_new_parts_and_the_abort_waits_for_the_parts_in_flight()
    {
        Skip.If(S3Fixture.SkipReason is not null, S3Fixture.SkipReason);
        using var store = Store();
        // Ten parts of 1 MiB, three at a time: part 3 is refused every time, parts 1 and 2 are held 600 ms.
        _proxy!.SlowDownAlways = line => PartOf(line) == 3;
        _proxy.DelayRequest = line => PartOf(line) is > 0 and not 3 ? TimeSpan.FromMilliseconds(600) : TimeSpan.Zero;

        var ex = await Assert.ThrowsAsync<StorageException>(() => store.PutAsync(Key, new MemoryStream(TestBytes(10 << 20))));

        var events = _proxy.Events;
        var failed = events.Select((e, i) => (e, i)).Where(x => x.e.StartsWith("503 ", StringComparison.Ordinal) && PartOf(x.e[4..]) == 3).Select(x => x.i).ToList();
        Assert.NotEmpty(failed);
        var lastFailure = failed[^1];
        // Parts 1 and 2 really were in flight when part 3 failed for good (else this test would prove nothing).
        Assert.All(new[] { 1, 2 }, n => Assert.True(Index(events, "begin", n) >= 0 && Index(events, "end", n) > lastFailure, $"part {n} in flight at the failure:\n{string.Join('\n', events)}"));
        var late = events.Skip(lastFailure + 1).Where(e => e.StartsWith("begin PUT ", StringComparison.Ordinal) && PartOf(e[6..]) > 3).ToList();
        Assert.True(late.Count == 0, $"parts started after part 3 failed:\n{string.Join('\n', events)}");
        AssertAbortAfterEveryPartAnswered(events);
        Assert.Equal(2, failed.Count); // part 3 was sent again on its own once (PartRetry), then given up
        Assert.Contains("(part 3)", ex.Message); // the failing part's error, not a consequence of it
        await AssertNothingLeftAsync();
    }

    [SkippableFact]
    public async Task A_source_read_failure_awaits_the_parts_in_flight_then_aborts_and_reports_the_read_error()
    {
        Skip.If(S3Fixture.SkipReason is not null, S3Fixture.SkipReason);
        var disposed = new List<Exception>();
        EventHandler<UnobservedTaskExceptionEventArgs> watch = (_, e) =>
        {
            lock (disposed)
            {
                disposed.AddRange(e.Exception.Flatten().InnerExceptions.Where(x => x is ObjectDisposedException && x.ToString().Contains("Semaphore", StringComparison.Ordinal)));
            }
        };
        TaskScheduler.UnobservedTaskException += watch;
        try
        {
            using var store = Store();
            // Part 1 answers quickly, parts 2 and 3 are held 1.5 s; reading part 4 fails (the source breaks at 3.5 MiB).
            _proxy!.DelayRequest = line => PartOf(line) switch
            {
                1 => TimeSpan.FromMilliseconds(50),
                > 1 => TimeSpan.FromMilliseconds(1500),
                _ => TimeSpan.Zero,
            };
            var ex = await Assert.ThrowsAnyAsync<Exception>(() => store.PutAsync(Key, new BreakingStream(TestBytes(10 << 20), breakAt: 7 << 19)));
            Assert.DoesNotContain(Chain(ex), e => e is ObjectDisposedException);
            Assert.Contains(Chain(ex), e => e is IOException { Message: BreakingStream.Failure });

            var events = _proxy.Events;
            Assert.All(new[] { 2, 3 }, n => Assert.True(Index(events, "begin", n) >= 0, $"part {n} started:\n{string.Join('\n', events)}"));
            Assert.Equal(-1, Index(events, "begin", 4)); // the part that could not be read never went out
            AssertAbortAfterEveryPartAnswered(events);
            await AssertNothingLeftAsync();

            // The old code disposed the part gate under the parts in flight; their Release threw unobserved.
            await Task.Delay(TimeSpan.FromSeconds(2));
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            lock (disposed)
            {
                Assert.Empty(disposed);
            }
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= watch;
        }
    }

    private S3ObjectStore Store() => new(S3Fixture.Options(_bucket, "p") with
    {
        Endpoint = _proxy!.Endpoint,
        MultipartThreshold = 1L << 20,
        PartSize = 1L << 20,
        Concurrency = 3,
        PartRetry = new RetryPolicy(2, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(5)),
    });

    /// <summary>The part number of an UploadPart request line for <see cref="Key"/>, or 0 for any other request.</summary>
    private int PartOf(string line)
    {
        var m = Regex.Match(line, $@"^PUT /{_bucket}/p/{Key}\?partNumber=(\d+)&");
        return m.Success ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    private int Index(IReadOnlyList<string> events, string what, int part) =>
        events.Select((e, i) => (e, i)).Where(x => x.e.StartsWith(what + " ", StringComparison.Ordinal) && PartOf(x.e[(what.Length + 1)..]) == part).Select(x => x.i).DefaultIfEmpty(-1).First();

    /// <summary>One abort; every UploadPart that arrived before it was answered (a 503 or the server's response) before it.</summary>
    private void AssertAbortAfterEveryPartAnswered(IReadOnlyList<string> events)
    {
        var prefix = $"begin DELETE /{_bucket}/p/{Key}?uploadId=";
        Assert.Single(events, e => e.StartsWith(prefix, StringComparison.Ordinal));
        var abort = events.ToList().FindIndex(e => e.StartsWith(prefix, StringComparison.Ordinal));
        for (var i = 0; i < abort; i++)
        {
            if (!events[i].StartsWith("begin ", StringComparison.Ordinal) || PartOf(events[i][6..]) == 0)
            {
                continue;
            }

            var line = events[i][6..];
            var answered = events.ToList().FindIndex(i + 1, e => e == $"end {line}" || e == $"503 {line}");
            Assert.True(answered >= 0 && answered < abort, $"abort arrived before the answer to {line}:\n{string.Join('\n', events)}");
        }
    }

    private async Task AssertNothingLeftAsync()
    {
        using var client = S3Fixture.AdminClient();
        var uploads = await client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = _bucket });
        Assert.Empty(uploads.MultipartUploads ?? []);
        var objects = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket });
        Assert.Empty(objects.S3Objects ?? []);
    }

    private static IEnumerable<Exception> Chain(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    private static byte[] TestBytes(int size)
    {
        var data = new byte[size];
        new Random(7).NextBytes(data);
        return data;
    }
}
