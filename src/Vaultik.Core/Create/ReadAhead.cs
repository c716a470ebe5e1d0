using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Vaultik.Core.Source;

namespace Vaultik.Core.Create;

/// <summary>
/// The reading stage of <c>snapshot create</c> on every core:
/// <code>
/// walk thread (walk, stat, xattrs, index lookup) --ordered queue--> consumer (caller's thread: dedup, Submit, metadata rows)
///        \--small files to read--> workers (open, read whole, stat check, FastCDC, SHA-256) --result per entry--/
/// </code>
/// The consumer takes entries strictly in walk order and waits for an entry's read when it gets there, so
/// metadata rows, chunk order, hard-link choices and warnings come out exactly as from one thread. Only
/// regular files of at most <see cref="SmallFileLimit"/> bytes, with one link, that the index does not
/// vouch for are read ahead; every other file is decided and read by the consumer as before (a large file
/// streams through a constant buffer). Memory: at most <see cref="QueuedEntries"/> entries queued and
/// <see cref="BudgetBytes"/> of read-ahead content (one file above it waits until the queue holds no other).
/// </summary>
internal sealed class ReadAhead
{
    /// <summary>The largest file read whole by a worker.</summary>
    public const int SmallFileLimit = 4 << 20;

    /// <summary>Read-ahead content held at most (plus one file's), counted as stat size plus 4 KiB per file.</summary>
    public const long BudgetBytes = 32L << 20;

    public const int QueuedEntries = 4096;

    /// <summary>Entries per hand-off from the walk thread, and read-ahead bytes that end a batch early.</summary>
    private const int BatchEntries = 128;

    private const long BatchBytes = 1 << 20;

    private readonly SourceReader _reader;
    private readonly int _workers;
    private readonly object _budgetLock = new();
    private long _inFlight;

    public ReadAhead(SourceReader reader, int workers)
    {
        _reader = reader;
        _workers = Math.Max(1, workers);
    }

    /// <summary>
    /// Walks <paramref name="entries"/> (already moved to its first entry when <paramref name="hasFirst"/>) on a
    /// walk thread, handing each entry to <paramref name="record"/> there, and adds every entry to the reader in
    /// walk order on the calling thread. The first failure (walk, read, consumer) stops all threads and is
    /// rethrown as it was thrown.
    /// </summary>
    public void Run(IEnumerator<SourceEntry> entries, bool hasFirst, Action<SourceEntry>? record, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var ordered = new BlockingCollection<List<PlannedEntry>>(QueuedEntries / BatchEntries);
        using var toRead = new BlockingCollection<List<PlannedEntry>>(QueuedEntries / BatchEntries);
        Exception? walkError = null;
        var walk = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    Walk(entries, hasFirst, record, ordered, toRead, cts.Token);
                }
                catch (Exception ex)
                {
                    walkError = ex;
                }
                finally
                {
                    toRead.CompleteAdding();
                    ordered.CompleteAdding();
                }
            },
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var workers = Enumerable.Range(0, _workers)
            .Select(_ => Task.Factory.StartNew(() => Work(toRead, cts.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))
            .ToArray();
        try
        {
            foreach (var batch in ordered.GetConsumingEnumerable(cts.Token))
            {
                foreach (var planned in batch)
                {
                    try
                    {
                        _reader.Add(planned, cts.Token);
                    }
                    finally
                    {
                        Release(planned.Budget);
                    }
                }
            }
        }
        catch
        {
            cts.Cancel();
            throw;
        }
        finally
        {
            Join([walk, .. workers]);
            DropUnconsumed(ordered);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (walkError is not null)
        {
            ExceptionDispatchInfo.Throw(walkError);
        }
    }

    /// <summary>
    /// The walk thread: plans each entry and hands entries on in batches (one hand-off per entry made the
    /// threads spin on each other more than they worked). A batch's read-ahead bytes are taken from the budget
    /// before it is queued, so the walk waits only once everything before it is queued too.
    /// </summary>
    private void Walk(
        IEnumerator<SourceEntry> entries, bool hasFirst, Action<SourceEntry>? record,
        BlockingCollection<List<PlannedEntry>> ordered, BlockingCollection<List<PlannedEntry>> toRead, CancellationToken cancellationToken)
    {
        var batch = new List<PlannedEntry>(BatchEntries);
        var reads = new List<PlannedEntry>();
        long readBytes = 0;
        for (var more = hasFirst; more; more = entries.MoveNext())
        {
            cancellationToken.ThrowIfCancellationRequested();
            record?.Invoke(entries.Current);
            var planned = _reader.Plan(entries.Current, readAhead: true);
            batch.Add(planned);
            if (planned.Read is not null)
            {
                reads.Add(planned);
                readBytes += planned.Budget;
            }

            if (batch.Count >= BatchEntries || readBytes >= BatchBytes)
            {
                Flush();
            }
        }

        Flush();

        void Flush()
        {
            if (reads.Count > 0)
            {
                Acquire(readBytes, cancellationToken);
                toRead.Add(reads, cancellationToken);
                reads = [];
                readBytes = 0;
            }

            if (batch.Count > 0)
            {
                ordered.Add(batch, cancellationToken);
                batch = new List<PlannedEntry>(BatchEntries);
            }
        }
    }

    private void Work(BlockingCollection<List<PlannedEntry>> toRead, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var batch in toRead.GetConsumingEnumerable(cancellationToken))
            {
                foreach (var planned in batch)
                {
                    try
                    {
                        planned.Read!.SetResult(_reader.ReadSmall(planned.Entry, cancellationToken));
                    }
                    catch (Exception ex)
                    {
                        planned.Read!.SetException(ex);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped with the run: whatever is still queued is never consumed.
            return;
        }
    }

    private void Acquire(long bytes, CancellationToken cancellationToken)
    {
        lock (_budgetLock)
        {
            while (_inFlight > 0 && _inFlight + bytes > BudgetBytes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Monitor.Wait(_budgetLock, 100);
            }

            _inFlight += bytes;
        }
    }

    private void Release(long bytes)
    {
        if (bytes == 0)
        {
            return;
        }

        lock (_budgetLock)
        {
            _inFlight -= bytes;
            Monitor.PulseAll(_budgetLock);
        }
    }

    /// <summary>Waits for every thread of the stage; each one ends on its own once the run is cancelled or done.</summary>
    private static void Join(Task[] tasks)
    {
        foreach (var task in tasks)
        {
            ((IAsyncResult)task).AsyncWaitHandle.WaitOne();
        }
    }

    /// <summary>After a failure: returns the buffers of reads that completed but were never consumed.</summary>
    private static void DropUnconsumed(BlockingCollection<List<PlannedEntry>> ordered)
    {
        while (ordered.TryTake(out var batch))
        {
            foreach (var planned in batch)
            {
                if (planned.Read?.Task is { IsCompletedSuccessfully: true } done)
                {
                    done.Result.Dispose();
                }
            }
        }
    }
}
