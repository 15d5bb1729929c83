using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Channels;
using HorizonAI.ServiceDefaults.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HorizonAI.Storage.GroupCommit;

/// <summary>
/// A process's one writer to the messages table (the Gateway's: webhooks; a silo's: conversations). It gathers the writes of all of
/// them into one transaction per flush (one round trip, one commit, one WAL flush), and completes each caller's task
/// only once that transaction has committed, so nothing is acknowledged that is not durable (synchronous_commit stays
/// on). A lone write to an idle writer is flushed at once; under load (another flush under way, writes already
/// waiting, or the last flush begun within the delay) a flush first waits <see cref="GroupCommitOptions.DelayMs"/> for
/// company, as PostgreSQL's commit_delay and Kafka's linger.ms do.
/// A flush that fails as a whole on a fault of one write (bad data, a constraint) is done again write by write, so that
/// only that write fails; a fault of the connection or the server fails every write of the flush, to be retried by its
/// caller (every write is safe to repeat).
/// </summary>
public sealed partial class GroupCommitWriter : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly GroupCommitOptions _options;
    private readonly HorizonMetrics _metrics;
    private readonly ILogger<GroupCommitWriter> _logger;
    private readonly Channel<GroupCommitOperation> _queue = Channel.CreateUnbounded<GroupCommitOperation>();
    private readonly Task[] _flushers;
    private int _flushing;
    private long _lastFlushStarted;

    public GroupCommitWriter(
        [FromKeyedServices(MessageDataSource.Key)] NpgsqlDataSource dataSource,
        IOptions<GroupCommitOptions> options, HorizonMetrics metrics, ILogger<GroupCommitWriter> logger)
    {
        _dataSource = dataSource;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _flushers = Enumerable.Range(0, _options.Flushes).Select(_ => Task.Run(FlushLoopAsync)).ToArray();
    }

    /// <summary>Queues the operation for the next flush; the task completes when that flush has committed.</summary>
    public Task<T> WriteAsync<T>(GroupCommitOperation<T> operation)
    {
        operation.Caller = Activity.Current?.Context ?? default;
        if (!_queue.Writer.TryWrite(operation))
        {
            throw new ObjectDisposedException(nameof(GroupCommitWriter), "The message store is shutting down.");
        }

        return operation.Completion;
    }

    /// <summary>Stops taking writes and waits until every write already queued is flushed.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_flushers);
    }

    private async Task FlushLoopAsync()
    {
        // A flush serves many traces and belongs to none of them: whatever span was current when this writer was made is
        // not its parent.
        Activity.Current = null;
        var batch = new List<GroupCommitOperation>(_options.MaxBatch);
        var delay = TimeSpan.FromMilliseconds(_options.DelayMs);
        while (await _queue.Reader.WaitToReadAsync())
        {
            var loaded = Volatile.Read(ref _flushing) > 0
                || Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastFlushStarted)) < delay;
            Take(batch);
            if (batch.Count == 0)
            {
                continue; // another flusher took them
            }

            // Load: another flush under way, writes already waiting, or the last flush began moments ago.
            if (batch.Count < _options.MaxBatch && delay > TimeSpan.Zero && (loaded || batch.Count > 1))
            {
                await Task.Delay(delay);
                Take(batch);
            }

            Interlocked.Exchange(ref _lastFlushStarted, Stopwatch.GetTimestamp());
            Interlocked.Increment(ref _flushing);

            // One span per flush, linked to the traces of the writes it carries (at most HorizonTracing.MaxLinks).
            using var span = HorizonTracing.Source.StartActivity("horizonai.store.flush", ActivityKind.Internal, parentContext: default,
                links: HorizonTracing.Links(batch.Select(o => o.Caller)));
            span?.SetTag("horizonai.store.writes", batch.Count);
            try
            {
                await FlushAsync(batch);
            }
            finally
            {
                Interlocked.Decrement(ref _flushing);
                batch.Clear();
            }
        }
    }

    private void Take(List<GroupCommitOperation> batch)
    {
        while (batch.Count < _options.MaxBatch && _queue.Reader.TryRead(out var operation))
        {
            batch.Add(operation);
        }
    }

    private async Task FlushAsync(List<GroupCommitOperation> operations)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await CommitAsync(operations);
            _metrics.StoreFlush(operations.Count, Stopwatch.GetElapsedTime(started), failed: false);
            foreach (var operation in operations)
            {
                operation.Complete();
            }
        }
        catch (Exception ex) when (operations.Count > 1 && !IsTransient(ex))
        {
            _metrics.StoreFlush(operations.Count, Stopwatch.GetElapsedTime(started), failed: true);
            LogIsolating(ex, operations.Count);
            foreach (var operation in operations)
            {
                await FlushAsync([operation]);
            }
        }
        catch (Exception ex)
        {
            if (BrokenConnections.IsConnectionFault(ex))
            {
                // The database went away (a restart, a cut): the pool's idle connections are as dead as this one.
                _dataSource.Clear();
            }

            _metrics.StoreFlush(operations.Count, Stopwatch.GetElapsedTime(started), failed: true);
            LogFlushFailed(ex, operations.Count, ex.GetType().Name);
            foreach (var operation in operations)
            {
                operation.Fail(ex);
            }
        }
    }

    private async Task CommitAsync(List<GroupCommitOperation> operations)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection);

        // Rows matched by Twilio SID (a status callback and the recording of its reply, written by two flushes that may
        // be on two silos) are locked by SID for the rest of the transaction, in one order, so that neither misses the
        // other's write. The lock is its own statement: the statements after it see what committed while it waited.
        var sids = operations.SelectMany(o => o.LockedSids).Distinct(StringComparer.Ordinal).ToArray();
        if (sids.Length > 0)
        {
            var lockSids = new NpgsqlBatchCommand("""
                select pg_advisory_xact_lock(key) from (select distinct hashtextextended(sid, 0) as key from unnest(@sids) as sid) keys order by key
                """);
            lockSids.Parameters.Add(new NpgsqlParameter<string[]>("sids", sids));
            batch.BatchCommands.Add(lockSids);
        }

        foreach (var operation in operations)
        {
            operation.AddTo(batch);
        }

        // Without an explicit transaction the batch is one implicit transaction, committed at its end: the reader is
        // done only once PostgreSQL has confirmed the commit (or failed it, which throws here).
        await using var reader = await batch.ExecuteReaderAsync();
        if (sids.Length > 0)
        {
            while (await reader.ReadAsync())
            {
            }

            await reader.NextResultAsync();
        }

        foreach (var operation in operations)
        {
            await operation.ReadAsync(reader);
        }

        await reader.CloseAsync();
    }

    /// <summary>Faults of the connection or the server, which say nothing about the writes themselves.</summary>
    private static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.IsTransient,
        NpgsqlException => true,
        IOException or SocketException or TimeoutException => true,
        _ => false,
    };

    [LoggerMessage(EventId = 4000, Level = LogLevel.Warning, Message = "A flush of {Operations} message-store writes failed on one of them; writing them one by one")]
    private partial void LogIsolating(Exception exception, int operations);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "A flush of {Operations} message-store write(s) failed ({Error}); their callers retry or give up")]
    private partial void LogFlushFailed(Exception exception, int operations, string error);
}
