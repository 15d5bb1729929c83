using System.Collections.Concurrent;
using System.Text.Json;
using HorizonAI.Grains.Assistants;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Storage;
using Npgsql;
using NpgsqlTypes;
using static HorizonAI.Grains.Storage.Messages.MessageSql;

namespace HorizonAI.Grains.Storage.Messages;

/// <summary>
/// A conversation's open work, read when its pump starts a round: the inbox (inbound rows still <c>received</c>),
/// the outbox (outbound rows still <c>pending</c>, with whether a send of each was claimed) and the conversation's
/// state. Two indexed reads (the partial index <c>messages_unsettled</c> holds only open rows; each conversation's rows
/// are looked up on their own, in order, however many a read carries: <c>offset 0</c> keeps the planner from joining
/// the whole table at once), straight from the pool:
/// a read waits for no flush of the writer. The reads that conversations ask for while one is under way are made
/// together, as one round trip for all of them (keyed by bot and user, each conversation given only its own rows),
/// so that under load a silo's pumps cost PostgreSQL a transaction per batch rather than one each; an idle silo's
/// read goes at once.
/// </summary>
public sealed class ReadOpenWork
{
    /// <summary>The most conversations one read carries.</summary>
    public const int MaxBatch = 128;

    /// <summary>Reads under way at once: one slow read does not hold up the others.</summary>
    private const int Readers = 2;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ConcurrentQueue<Request> _queue = new();
    private int _readers;

    public ReadOpenWork(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    public Task<ConversationSnapshot> ReadAsync(string bot, string user)
    {
        var request = new Request(new Key(bot, user));
        _queue.Enqueue(request);
        StartReaderIfNone();
        return request.Completion.Task;
    }

    /// <summary>Starts a reader unless <see cref="Readers"/> are at work (each takes what is queued until nothing is).</summary>
    private void StartReaderIfNone()
    {
        if (Interlocked.Increment(ref _readers) > Readers)
        {
            Interlocked.Decrement(ref _readers);
            return;
        }

        // Off the caller's grain and trace: a read serves many conversations and belongs to none of them.
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(ReadQueuedAsync);
        }
    }

    private async Task ReadQueuedAsync()
    {
        var batch = new List<Request>(MaxBatch);
        try
        {
            while (true)
            {
                while (batch.Count < MaxBatch && _queue.TryDequeue(out var request))
                {
                    batch.Add(request);
                }

                if (batch.Count == 0)
                {
                    break;
                }

                try
                {
                    var found = await BrokenConnections.RetryOnceAsync(_dataSource, () => ReadAllAsync([.. batch.Select(r => r.Key).Distinct()]));
                    foreach (var request in batch)
                    {
                        if (!found.TryGetValue(request.Key, out var open))
                        {
                            request.Completion.TrySetResult(ConversationSnapshot.Empty);
                        }
                        else if (open.Fault is { } fault)
                        {
                            request.Completion.TrySetException(fault); // a row of its own it cannot read: that conversation's fault alone
                        }
                        else
                        {
                            request.Completion.TrySetResult(open.Snapshot());
                        }
                    }
                }
                catch (Exception ex)
                {
                    foreach (var request in batch)
                    {
                        request.Completion.TrySetException(ex);
                    }
                }

                batch.Clear();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _readers);
        }

        // A read asked for after this reader found the queue empty, while it still counted as at work, is this reader's.
        if (!_queue.IsEmpty)
        {
            StartReaderIfNone();
        }
    }

    private async Task<Dictionary<Key, OpenWork>> ReadAllAsync(IReadOnlyList<Key> keys)
    {
        await using var batch = _dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            select c.bot_id, c.user_number, assistant_conversation_id, history, opted_out_at, pending_call_id, mode = 'human',
                   human_since, handoff_trigger, handoff_reason, handoff_by, operator_active_at, handoff_notice_pending
            from unnest(@bots, @users) as k(bot_id, user_number)
            join conversations c on c.bot_id = k.bot_id and c.user_number = k.user_number
            """) { Parameters = { Keys("bots", keys, k => k.Bot), Keys("users", keys, k => k.User) } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            select k.bot_id, k.user_number, m.id, m.direction, m.status, m.twilio_sid, m.body, m.media_urls, m.media_types, m.created_at,
                   m.sent_by, m.content_sid, m.content_variables, m.traceparent, m.sending_since, m.profile_name
            from unnest(@bots, @users) as k(bot_id, user_number)
            cross join lateral (
                select id, direction, status, twilio_sid, body, media_urls, media_types, created_at, sent_by, content_sid,
                       content_variables, traceparent, sending_since, profile_name
                from messages
                where bot_id = k.bot_id and user_number = k.user_number
                  and status in ('received', 'answering', 'pending')
                  and ((direction = 'inbound' and status in ('received', 'answering')) or (direction = 'outbound' and status = 'pending'))
                order by id
                offset 0) m
            """) { Parameters = { Keys("bots", keys, k => k.Bot), Keys("users", keys, k => k.User) } });
        await using var reader = await batch.ExecuteReaderAsync();

        var found = new Dictionary<Key, OpenWork>();
        OpenWork Of(NpgsqlDataReader r) => found.TryGetValue(new Key(r.GetString(0), r.GetString(1)), out var open)
            ? open
            : found[new Key(r.GetString(0), r.GetString(1))] = new OpenWork();

        await RowsAsync(reader, r => Read(Of(r), open => open.Conversation = new ConversationSnapshot(
            OptionalText(r, 2), r.IsDBNull(3) ? [] : JsonSerializer.Deserialize<List<HistoryTurn>>(r.GetString(3), HistoryJson) ?? [], [], [])
        {
            OptedOutAt = OptionalUtc(r, 4),
            PendingCallId = OptionalText(r, 5),
            Human = r.GetBoolean(6) ? HumanMode(r, 7) : null,
        }));
        await RowsAsync(reader, r => Read(Of(r), open =>
        {
            var id = r.GetInt64(2);
            if (r.GetString(3) == "outbound")
            {
                open.Outbox.Add(new PendingPart(id, r.GetString(6), r.GetFieldValue<string[]>(7).FirstOrDefault(), OptionalText(r, 10), OptionalText(r, 11),
                    OptionalText(r, 12), OptionalText(r, 13)) { SendingSince = OptionalUtc(r, 14) });
            }
            else if (r.GetString(4) == MessageStatus.Received)
            {
                open.Inbox.Add(new PendingInbound(id, OptionalText(r, 5) ?? "", r.GetString(6), MediaItem.Zip(r.GetFieldValue<string[]>(7), r.GetFieldValue<string[]>(8)),
                    Utc(r.GetDateTime(9)), OptionalText(r, 13)) { ProfileName = OptionalText(r, 15) });
            }
        }));
        return found;
    }

    /// <summary>Reads a row into its conversation; a row that cannot be read fails that conversation's read only.</summary>
    private static OpenWork Read(OpenWork open, Action<OpenWork> read)
    {
        try
        {
            read(open);
        }
        catch (Exception ex) when (ex is not NpgsqlException)
        {
            open.Fault ??= ex;
        }

        return open;
    }

    private static NpgsqlParameter Keys(string name, IReadOnlyList<Key> keys, Func<Key, string> part) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = keys.Select(part).ToArray() };

    private readonly record struct Key(string Bot, string User);

    private sealed record Request(Key Key)
    {
        public TaskCompletionSource<ConversationSnapshot> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One conversation's rows as the read finds them.</summary>
    private sealed class OpenWork
    {
        /// <summary>Its row in the conversations table (none yet: a conversation that has never saved its state).</summary>
        public ConversationSnapshot Conversation { get; set; } = ConversationSnapshot.Empty;

        public List<PendingInbound> Inbox { get; } = [];

        public List<PendingPart> Outbox { get; } = [];

        public Exception? Fault { get; set; }

        /// <summary>The conversation's open work, each list oldest first (as the statement returns it, and whatever it did).</summary>
        public ConversationSnapshot Snapshot() => Conversation with { Inbox = [.. Inbox.OrderBy(m => m.Id)], Outbox = [.. Outbox.OrderBy(p => p.Id)] };
    }
}
