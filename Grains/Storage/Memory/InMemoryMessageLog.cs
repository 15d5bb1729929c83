using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Grains.Storage.Memory;

/// <summary>
/// The message log held in this silo's memory, for a local try-out without PostgreSQL; lost when the silo stops.
/// It keeps the PostgreSQL log's rules: one row per (bot, MessageSid), statuses only move forward, and a delivery
/// status reported before its reply was logged is applied when the reply's row is written.
/// </summary>
public sealed class InMemoryMessageLog(TimeProvider time) : IMessageLog, IMessageLogQueries
{
    private const string Inbound = "inbound";
    private const string Outbound = "outbound";

    private readonly Lock _gate = new();
    private readonly List<Row> _rows = [];
    private readonly Dictionary<(string Bot, string Sid), Row> _bySid = [];
    private readonly Dictionary<string, (string Status, string? ErrorCode)> _earlyStatuses = new(StringComparer.Ordinal);
    private long _nextId;

    public Task<bool> RecordInboundAsync(InboundMessage message, string status, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_bySid.ContainsKey((message.BotNumber, message.MessageSid)))
            {
                return Task.FromResult(false);
            }

            Add(new Row(message.BotNumber, message.UserNumber, Inbound, message.Body, message.MessageSid, message.ReceivedAt) { Status = status });
            return Task.FromResult(true);
        }
    }

    public Task<bool> InboundExistsAsync(string botNumber, string messageSid, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_bySid.ContainsKey((botNumber, messageSid)));
        }
    }

    public Task MarkInboundAsync(string botNumber, IReadOnlyCollection<string> messageSids, string status, string? errorCode, string? errorMessage, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            foreach (var sid in messageSids)
            {
                if (_bySid.TryGetValue((botNumber, sid), out var row) && row.Direction == Inbound)
                {
                    row.Status = status;
                    row.ErrorCode = errorCode;
                    row.ErrorMessage = errorMessage;
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<bool> AreSettledAsync(string botNumber, IReadOnlyCollection<string> messageSids, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(messageSids.All(sid => _bySid.TryGetValue((botNumber, sid), out var row)
                && row.Direction == Inbound && row.Status is MessageStatus.Answered or MessageStatus.Failed));
        }
    }

    public Task RecordOutboundAsync(OutboundRecord record, InboundSettlement? settlement = null, CancellationToken cancellationToken = default)
    {
        if (settlement is not null)
        {
            MarkInboundAsync(record.BotNumber, settlement.MessageSids, settlement.Status, settlement.ErrorCode, settlement.ErrorMessage, cancellationToken);
        }

        lock (_gate)
        {
            if (record.TwilioSid is not null && _bySid.ContainsKey((record.BotNumber, record.TwilioSid)))
            {
                return Task.CompletedTask;
            }

            var row = new Row(record.BotNumber, record.UserNumber, Outbound, record.Body, record.TwilioSid, time.GetUtcNow())
            {
                Status = record.Status,
                ErrorCode = record.ErrorCode,
                ErrorMessage = record.ErrorMessage,
                InputTokens = record.InputTokens,
                OutputTokens = record.OutputTokens,
                CachedTokens = record.CachedTokens,
            };
            if (record.TwilioSid is not null && _earlyStatuses.Remove(record.TwilioSid, out var early))
            {
                if (DeliveryStatuses.Rank(early.Status) > DeliveryStatuses.Rank(row.Status))
                {
                    row.Status = early.Status;
                }

                row.ErrorCode ??= early.ErrorCode;
                row.ErrorMessage ??= DeliveryStatuses.Reason(early.ErrorCode);
            }

            Add(row);
        }

        return Task.CompletedTask;
    }

    public Task<DeliveryStatusOutcome> RecordDeliveryStatusAsync(DeliveryStatusUpdate update, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var rows = _rows.Where(r => r.Direction == Outbound && r.TwilioSid == update.MessageSid).ToList();
            if (rows.Count == 0)
            {
                // Not logged yet: keep the most advanced status until the reply's row is written.
                if (!_earlyStatuses.TryGetValue(update.MessageSid, out var kept) || DeliveryStatuses.Rank(kept.Status) < DeliveryStatuses.Rank(update.Status))
                {
                    _earlyStatuses[update.MessageSid] = (update.Status, update.ErrorCode ?? kept.ErrorCode);
                }

                return Task.FromResult(DeliveryStatusOutcome.UnknownMessage);
            }

            var updated = false;
            foreach (var row in rows.Where(r => DeliveryStatuses.Rank(r.Status) < DeliveryStatuses.Rank(update.Status)))
            {
                row.Status = update.Status;
                row.ErrorCode = update.ErrorCode ?? row.ErrorCode;
                row.ErrorMessage = DeliveryStatuses.Reason(update.ErrorCode) ?? row.ErrorMessage;
                updated = true;
            }

            return Task.FromResult(updated ? DeliveryStatusOutcome.Updated : DeliveryStatusOutcome.Unchanged);
        }
    }

    public Task<int> DeleteConversationAsync(string botNumber, string userNumber, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var removed = _rows.RemoveAll(r => r.BotNumber == botNumber && r.UserNumber == userNumber);
            foreach (var key in _bySid.Where(kv => kv.Value.BotNumber == botNumber && kv.Value.UserNumber == userNumber).Select(kv => kv.Key).ToList())
            {
                _bySid.Remove(key);
            }

            return Task.FromResult(removed);
        }
    }

    public Task<IReadOnlyList<string>> ListUsersAsync(string botNumber, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. _rows.Where(r => r.BotNumber == botNumber).Select(r => r.UserNumber).Distinct(StringComparer.Ordinal)]);
        }
    }

    public Task<Page<ConversationSummary>> ListConversationsAsync(string botNumber, int offset, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var conversations = _rows.Where(r => r.BotNumber == botNumber)
                .GroupBy(r => r.UserNumber, StringComparer.Ordinal)
                .Select(g => new ConversationSummary(g.Key, g.Min(r => r.CreatedAt), g.Max(r => r.CreatedAt), g.Count()))
                .OrderByDescending(c => c.LastMessageAt).ThenBy(c => c.UserNumber, StringComparer.Ordinal)
                .ToList();
            return Task.FromResult(new Page<ConversationSummary>([.. conversations.Skip(offset).Take(limit)], conversations.Count, offset, limit));
        }
    }

    public Task<Page<TranscriptMessage>> GetTranscriptAsync(string botNumber, string userNumber, int offset, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var messages = _rows.Where(r => r.BotNumber == botNumber && r.UserNumber == userNumber).ToList();
            var page = messages.Skip(offset).Take(limit)
                .Select(r => new TranscriptMessage(r.Id, r.Direction, r.Body, r.CreatedAt, r.TwilioSid, r.Status, r.ErrorCode, r.ErrorMessage));
            return Task.FromResult(new Page<TranscriptMessage>([.. page], messages.Count, offset, limit));
        }
    }

    public Task<UsageDay[]> GetUsageAsync(string botNumber, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var days = _rows.Where(r => r.BotNumber == botNumber)
                .GroupBy(r => DateOnly.FromDateTime(r.CreatedAt.UtcDateTime))
                .Where(g => g.Key >= from && g.Key <= to)
                .OrderBy(g => g.Key)
                .Select(g => new UsageDay(
                    g.Key,
                    g.Count(r => r.Direction == Inbound),
                    g.Count(r => r.Direction == Outbound && r.TwilioSid is not null),
                    g.Sum(r => (long)(r.InputTokens ?? 0)),
                    g.Sum(r => (long)(r.OutputTokens ?? 0)),
                    g.Sum(r => (long)(r.CachedTokens ?? 0))));
            return Task.FromResult(days.ToArray());
        }
    }

    private void Add(Row row)
    {
        row.Id = ++_nextId;
        _rows.Add(row);
        if (row.TwilioSid is not null)
        {
            _bySid[(row.BotNumber, row.TwilioSid)] = row;
        }
    }

    private sealed class Row(string botNumber, string userNumber, string direction, string body, string? twilioSid, DateTimeOffset createdAt)
    {
        public long Id { get; set; }

        public string BotNumber { get; } = botNumber;

        public string UserNumber { get; } = userNumber;

        public string Direction { get; } = direction;

        public string Body { get; } = body;

        public string? TwilioSid { get; } = twilioSid;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public required string Status { get; set; }

        public string? ErrorCode { get; set; }

        public string? ErrorMessage { get; set; }

        public int? InputTokens { get; set; }

        public int? OutputTokens { get; set; }

        public int? CachedTokens { get; set; }
    }
}
