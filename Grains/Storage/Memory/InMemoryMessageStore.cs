using HorizonAI.Grains.Assistants;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Messaging;

namespace HorizonAI.Grains.Storage.Memory;

/// <summary>
/// The messages table held in this silo's memory, for a local try-out without PostgreSQL; lost when the silo stops.
/// It keeps the PostgreSQL store's rules (the contract tests run both): one row per (bot, MessageSid), a turn's claim
/// all or nothing, parts settle the messages they answer, statuses only move forward, and a delivery status reported
/// before its part was recorded is applied when it is.
/// </summary>
public sealed class InMemoryMessageStore(TimeProvider time, Campaigns.InMemoryCampaignStore campaigns) : IMessageStore, IMessageLogQueries
{
    private const string Inbound = "inbound";
    private const string Outbound = "outbound";

    private readonly Lock _gate = new();
    private readonly List<Row> _rows = [];
    private readonly Dictionary<(string Bot, string Sid), Row> _bySid = [];
    private readonly Dictionary<(string Bot, string User), ConversationState> _conversations = [];
    private readonly Dictionary<string, (string Status, string? ErrorCode)> _earlyStatuses = new(StringComparer.Ordinal);
    private long _nextId;

    public Task<AcceptResult> AcceptAsync(InboundMessage message, string status, bool loadConversation)
    {
        lock (_gate)
        {
            var inserted = !_bySid.TryGetValue((message.BotNumber, message.MessageSid), out var row);
            if (inserted)
            {
                row = Add(new Row(message.BotNumber, message.UserNumber, Inbound, message.Body, message.MessageSid, message.ReceivedAt)
                {
                    Status = status,
                    Media = MediaItem.Zip(message.MediaUrls, message.MediaTypes),
                });
            }

            var conversation = loadConversation ? Snapshot(message.BotNumber, message.UserNumber) : null;
            return Task.FromResult(new AcceptResult(inserted, row!.Id, row.Status, conversation));
        }
    }

    public Task<ConversationSnapshot> LoadAsync(string botNumber, string userNumber)
    {
        lock (_gate)
        {
            return Task.FromResult(Snapshot(botNumber, userNumber));
        }
    }

    public Task<IReadOnlyList<PendingPart>?> CommitTurnAsync(TurnRecord turn)
    {
        lock (_gate)
        {
            var claimed = _rows.Where(r => r.Direction == Inbound && turn.MessageIds.Contains(r.Id)).ToList();
            var human = _conversations.GetValueOrDefault((turn.BotNumber, turn.UserNumber))?.Human;
            if (claimed.Count != turn.MessageIds.Count || claimed.Any(r => r.Status != MessageStatus.Received) || (turn.BotModeOnly && human is not null))
            {
                return Task.FromResult<IReadOnlyList<PendingPart>?>(null);
            }

            foreach (var row in claimed)
            {
                row.Status = turn.Parts.Count > 0 ? MessageStatus.Answering : MessageStatus.Failed;
                row.ErrorCode = turn.ErrorCode;
                row.ErrorMessage = turn.ErrorMessage;
                if (turn.MediaReadings?.GetValueOrDefault(row.Id) is { } reading)
                {
                    (row.MediaText, row.TranscribedSeconds, row.TranscriptionTokens) = (reading.Text, reading.TranscribedSeconds, reading.TranscriptionTokens);
                }
            }

            var parts = turn.Parts.Select((part, i) => Add(new Row(turn.BotNumber, turn.UserNumber, Outbound, part.Body, null, time.GetUtcNow())
            {
                Status = MessageStatus.Pending,
                Media = part.MediaUrl is null ? [] : [new MediaItem(part.MediaUrl, "")],
                InputTokens = i == 0 ? turn.InputTokens : null,
                OutputTokens = i == 0 ? turn.OutputTokens : null,
                CachedTokens = i == 0 ? turn.CachedTokens : null,
            })).Select(Pending).ToList();
            if (turn.Conversation is { } state)
            {
                _conversations[(turn.BotNumber, turn.UserNumber)] = state with { Human = turn.Handoff ?? human };
            }

            return Task.FromResult<IReadOnlyList<PendingPart>?>(parts);
        }
    }

    public Task<OutboundResult> AddOutboundAsync(string botNumber, string userNumber, OutboundRequest request)
    {
        lock (_gate)
        {
            var state = _conversations.GetValueOrDefault((botNumber, userNumber));
            var lastInbound = _rows.Where(r => r.BotNumber == botNumber && r.UserNumber == userNumber && r.Direction == Inbound)
                .Select(r => (DateTimeOffset?)r.CreatedAt).Max();
            if (request.Campaign is { } campaign)
            {
                // The recipient's claim and its row change together, under this store's lock.
                var row = new Row(botNumber, userNumber, Outbound, request.Parts.Single().Body, null, time.GetUtcNow())
                {
                    Status = MessageStatus.Pending,
                    SentBy = request.SentBy,
                    ContentSid = request.ContentSid,
                    ContentVariables = request.ContentVariables,
                };
                var optedOut = state is { OptedOutAt: not null };
                if (!campaigns.TryClaim(campaign.Id, campaign.Position, optedOut, () => Add(row).Id))
                {
                    return Task.FromResult(new OutboundResult([], optedOut ? OutboundResult.OptedOut : OutboundResult.NotPending, lastInbound));
                }

                return Task.FromResult(new OutboundResult([Pending(row)], null, lastInbound));
            }

            if (state is { OptedOutAt: not null })
            {
                return Task.FromResult(new OutboundResult([], OutboundResult.OptedOut, lastInbound));
            }

            if (request.NeedsWindow && !(lastInbound > time.GetUtcNow() - OutboundResult.Window))
            {
                return Task.FromResult(new OutboundResult([], OutboundResult.OutsideWindow, lastInbound));
            }

            if (state is { Human: { } human })
            {
                _conversations[(botNumber, userNumber)] = state with { Human = human with { OperatorActiveAt = time.GetUtcNow() } };
            }

            IReadOnlyList<PendingPart> added = [.. request.Parts.Select(part => Pending(Add(new Row(botNumber, userNumber, Outbound, part.Body, null, time.GetUtcNow())
            {
                Status = MessageStatus.Pending,
                Media = part.MediaUrl is null ? [] : [new MediaItem(part.MediaUrl, "")],
                SentBy = request.SentBy,
                ContentSid = request.ContentSid,
                ContentVariables = request.ContentVariables,
            })))];
            return Task.FromResult(new OutboundResult(added, null, lastInbound));
        }
    }

    public Task<IReadOnlySet<string>> RecordedSidsAsync(string botNumber, string userNumber, IReadOnlyList<string> sids)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlySet<string>>(_rows
                .Where(r => r.BotNumber == botNumber && r.UserNumber == userNumber && r.TwilioSid is not null && sids.Contains(r.TwilioSid))
                .Select(r => r.TwilioSid!).ToHashSet(StringComparer.Ordinal));
        }
    }

    public Task<HumanMode> TakeOverAsync(string botNumber, string userNumber, HumanMode handoff)
    {
        lock (_gate)
        {
            var state = _conversations.GetValueOrDefault((botNumber, userNumber)) ?? new ConversationState(null, []);
            if (state.Human is { } standing)
            {
                return Task.FromResult(standing);
            }

            _conversations[(botNumber, userNumber)] = state with { Human = handoff };
            return Task.FromResult(handoff);
        }
    }

    public Task<int?> ResumeAsync(string botNumber, string userNumber, bool answerHeld, DateTimeOffset? idleBefore)
    {
        lock (_gate)
        {
            if (_conversations.GetValueOrDefault((botNumber, userNumber)) is not { Human: { } human } state || (idleBefore is { } idle && human.OperatorActiveAt >= idle))
            {
                return Task.FromResult<int?>(null);
            }

            _conversations[(botNumber, userNumber)] = state with { Human = null };
            var reopened = 0;
            foreach (var row in _rows.Where(r => answerHeld && r.BotNumber == botNumber && r.UserNumber == userNumber && r.Direction == Inbound
                && r.Status == MessageStatus.Held && r.CreatedAt >= human.Since))
            {
                (row.Status, row.ErrorCode, row.ErrorMessage) = (MessageStatus.Received, null, null);
                reopened++;
            }

            return Task.FromResult<int?>(reopened);
        }
    }

    public Task HandoffNoticeDoneAsync(string botNumber, string userNumber, DateTimeOffset since)
    {
        lock (_gate)
        {
            if (_conversations.GetValueOrDefault((botNumber, userNumber)) is { Human: { } human } state && human.Since == since)
            {
                _conversations[(botNumber, userNumber)] = state with { Human = human with { NoticePending = false } };
            }

            return Task.CompletedTask;
        }
    }

    public Task<Settlement> RecordPartAsync(PartRecord part)
    {
        lock (_gate)
        {
            var row = _rows.FirstOrDefault(r => r.Id == part.PartId);
            if (row is { Status: MessageStatus.Pending })
            {
                row.TwilioSid = part.TwilioSid;
                row.Status = part.Status;
                row.ErrorCode = part.ErrorCode;
                row.ErrorMessage = part.ErrorMessage;
                if (part.TwilioSid is { } sid)
                {
                    _bySid[(row.BotNumber, sid)] = row;
                    if (_earlyStatuses.Remove(sid, out var early))
                    {
                        if (DeliveryStatuses.Rank(early.Status) > DeliveryStatuses.Rank(row.Status))
                        {
                            row.Status = early.Status;
                        }

                        row.ErrorCode ??= early.ErrorCode;
                        row.ErrorMessage ??= DeliveryStatuses.Reason(early.ErrorCode);
                    }
                }
            }

            if (!part.AnswersInbound || (!part.IsLast && !part.Failed))
            {
                return Task.FromResult(Settlement.None);
            }

            var answered = 0;
            var failed = 0;
            string? failure = null;
            foreach (var message in Unsettled(part.BotNumber, part.UserNumber).Where(r => r.Direction == Inbound && r.Status == MessageStatus.Answering))
            {
                if (part.Failed)
                {
                    message.ErrorCode ??= part.ErrorCode;
                    message.ErrorMessage ??= part.InboundErrorMessage;
                }

                if (part.IsLast)
                {
                    message.Status = message.ErrorCode is null ? MessageStatus.Answered : MessageStatus.Failed;
                    if (message.ErrorCode is null)
                    {
                        answered++;
                    }
                    else
                    {
                        failed++;
                        failure = failure is null || string.CompareOrdinal(message.ErrorCode, failure) < 0 ? message.ErrorCode : failure;
                    }
                }
            }

            return Task.FromResult(part.IsLast ? new Settlement(answered, failed, failure) : Settlement.None);
        }
    }

    public Task<int> SettleAsync(string botNumber, string userNumber, IReadOnlyCollection<long> messageIds, string status, string errorCode, string errorMessage)
    {
        lock (_gate)
        {
            var settled = 0;
            foreach (var row in _rows.Where(r => r.Direction == Inbound && r.Status == MessageStatus.Received && messageIds.Contains(r.Id)))
            {
                row.Status = status;
                row.ErrorCode = errorCode;
                row.ErrorMessage = errorMessage;
                settled++;
            }

            return Task.FromResult(settled);
        }
    }

    public Task<DeliveryStatusOutcome> RecordDeliveryStatusAsync(DeliveryStatusUpdate update)
    {
        lock (_gate)
        {
            var rows = _rows.Where(r => r.Direction == Outbound && r.TwilioSid == update.MessageSid).ToList();
            if (rows.Count == 0)
            {
                // Not recorded yet: keep the most advanced status until the part is.
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

    public Task<int> EraseAsync(string botNumber, string userNumber)
    {
        lock (_gate)
        {
            var removed = _rows.RemoveAll(r => r.BotNumber == botNumber && r.UserNumber == userNumber);
            foreach (var key in _bySid.Where(kv => kv.Value.BotNumber == botNumber && kv.Value.UserNumber == userNumber).Select(kv => kv.Key).ToList())
            {
                _bySid.Remove(key);
            }

            if (_conversations.GetValueOrDefault((botNumber, userNumber)) is { OptedOutAt: { } optedOut })
            {
                _conversations[(botNumber, userNumber)] = new ConversationState(null, []) { OptedOutAt = optedOut };
            }
            else
            {
                _conversations.Remove((botNumber, userNumber));
            }

            return Task.FromResult(removed);
        }
    }

    public Task<IReadOnlyList<PendingConversation>> FindPendingAsync(int shard, int shards, DateTimeOffset before, DateTimeOffset now, int limit)
    {
        lock (_gate)
        {
            // One silo holds every conversation here, so shard 0 sweeps them all and the others find nothing. This store
            // does not know the bots' idle times: every conversation in human mode is woken, and looks for itself.
            IReadOnlyList<PendingConversation> pending = shard != 0 ? [] : [.. _rows
                .Where(r => IsOpen(r) && r.CreatedAt < before)
                .Select(r => new PendingConversation(r.BotNumber, r.UserNumber))
                .Concat(_conversations.Where(kv => kv.Value.Human is not null).Select(kv => new PendingConversation(kv.Key.Bot, kv.Key.User)))
                .Distinct()
                .Take(limit)];
            return Task.FromResult(pending);
        }
    }

    public Task<IReadOnlyList<string>> ListUsersAsync(string botNumber)
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
                .Select(g =>
                {
                    var state = _conversations.GetValueOrDefault((botNumber, g.Key));
                    var lastSent = g.Where(r => r.Direction == Outbound).Select(r => r.Id).DefaultIfEmpty(0).Max();
                    return new ConversationSummary(g.Key, g.Min(r => r.CreatedAt), g.Max(r => r.CreatedAt), g.Count())
                    {
                        OptedOutAt = state?.OptedOutAt,
                        Mode = state?.Human is null ? "bot" : "human",
                        HumanSince = state?.Human?.Since,
                        HandoffTrigger = state?.Human?.Trigger,
                        HandoffReason = state?.Human?.Reason,
                        Unread = g.Count(r => r.Direction == Inbound && r.Id > lastSent),
                    };
                })
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
                .Select(r => new TranscriptMessage(r.Id, r.Direction, r.Body, r.CreatedAt, r.TwilioSid, r.Status, r.ErrorCode, r.ErrorMessage)
                {
                    Media = [.. r.Media.Select(m => new TranscriptMedia(m.Url, m.ContentType))],
                    MediaText = r.MediaText,
                    SentBy = r.SentBy,
                });
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
                    g.Sum(r => (long)(r.CachedTokens ?? 0)))
                {
                    AudioItems = g.Sum(r => r.Media.Count(m => m.ContentType.StartsWith("audio/", StringComparison.Ordinal))),
                    Images = g.Sum(r => r.Media.Count(m => m.ContentType.StartsWith("image/", StringComparison.Ordinal))),
                    Documents = g.Sum(r => r.Media.Count(m => m.ContentType == "application/pdf")),
                    TranscribedSeconds = g.Sum(r => r.TranscribedSeconds),
                    TranscriptionTokens = g.Sum(r => (long)r.TranscriptionTokens),
                    MinuteBilledSeconds = g.Where(r => r.TranscriptionTokens == 0).Sum(r => r.TranscribedSeconds),
                });
            return Task.FromResult(days.ToArray());
        }
    }

    private static bool IsOpen(Row row) => row.Direction == Inbound
        ? row.Status is MessageStatus.Received or MessageStatus.Answering
        : row.Status == MessageStatus.Pending;

    private IEnumerable<Row> Unsettled(string botNumber, string userNumber) =>
        _rows.Where(r => r.BotNumber == botNumber && r.UserNumber == userNumber && IsOpen(r));

    private ConversationSnapshot Snapshot(string botNumber, string userNumber)
    {
        var state = _conversations.GetValueOrDefault((botNumber, userNumber));
        var open = Unsettled(botNumber, userNumber).ToList();
        return new ConversationSnapshot(
            state?.AssistantConversationId,
            state is null ? [] : [.. state.History.Select(t => new HistoryTurn { Role = t.Role, Text = t.Text })],
            [.. open.Where(r => r.Direction == Inbound && r.Status == MessageStatus.Received)
                .Select(r => new PendingInbound(r.Id, r.TwilioSid ?? "", r.Body, r.Media, r.CreatedAt))],
            [.. open.Where(r => r.Direction == Outbound).Select(Pending)])
        {
            OutboxWrittenAt = open.Where(r => r.Direction == Outbound).ToDictionary(r => r.Id, r => r.CreatedAt),
            OptedOutAt = state?.OptedOutAt,
            Human = state?.Human,
            PendingCallId = state?.PendingCallId,
        };
    }

    private static PendingPart Pending(Row row) => new(row.Id, row.Body, row.Media.Count > 0 ? row.Media[0].Url : null, row.SentBy, row.ContentSid, row.ContentVariables);

    private Row Add(Row row)
    {
        row.Id = ++_nextId;
        _rows.Add(row);
        if (row.TwilioSid is not null)
        {
            _bySid[(row.BotNumber, row.TwilioSid)] = row;
        }

        return row;
    }

    private sealed class Row(string botNumber, string userNumber, string direction, string body, string? twilioSid, DateTimeOffset createdAt)
    {
        public long Id { get; set; }

        public string BotNumber { get; } = botNumber;

        public string UserNumber { get; } = userNumber;

        public string Direction { get; } = direction;

        public string Body { get; } = body;

        public IReadOnlyList<MediaItem> Media { get; init; } = [];

        /// <summary>What a turn read from the media (transcripts, reasons); null until then.</summary>
        public string? MediaText { get; set; }

        public double TranscribedSeconds { get; set; }

        public string? SentBy { get; init; }

        public string? ContentSid { get; init; }

        public string? ContentVariables { get; init; }

        public int TranscriptionTokens { get; set; }

        public string? TwilioSid { get; set; } = twilioSid;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public required string Status { get; set; }

        public string? ErrorCode { get; set; }

        public string? ErrorMessage { get; set; }

        public int? InputTokens { get; init; }

        public int? OutputTokens { get; init; }

        public int? CachedTokens { get; init; }
    }
}
