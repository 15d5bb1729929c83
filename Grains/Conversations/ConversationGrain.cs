using System.Diagnostics;
using HorizonAI.Grains.Webhooks;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Messaging;
using HorizonAI.Grains.Storage;
using HorizonAI.Grains.WhatsApp;
using HorizonAI.ServiceDefaults.Logging;
using HorizonAI.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Logging;

namespace HorizonAI.Grains.Conversations;

/// <summary>
/// One end user's conversation with one bot: the serialiser of its turns, not its database. The messages table
/// remembers everything (<see cref="IMessageStore"/>); this grain keeps in memory what the table says is open
/// (<see cref="OpenWork"/>). A message's life, top to bottom: <see cref="EnqueueAsync"/> commits its inbound row and
/// returns; a pump on a grain timer runs one assistant turn at a time over every message waiting; the turn's reply
/// parts are written together with the claim of the messages they answer; each part is sent, then recorded, and the
/// last one settles the messages. After a crash the table still says what was open, and the recovery sweep
/// (<see cref="IInboxSweepGrain"/>) wakes the conversation wherever it activates next.
/// </summary>
public sealed partial class ConversationGrain(
    IMessageStore store,
    AssistantTurns turns,
    IWhatsAppSender sender,
    HandoffNotifier notifier,
    HorizonMetrics metrics,
    TimeProvider time,
    ILogger<ConversationGrain> logger) : Grain, IConversationGrain
{
    private static readonly TimeSpan OutageRetryDelay = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PumpRetryDelay = TimeSpan.FromSeconds(3);

    private readonly OpenWork _open = new();
    private string _botNumber = "";
    private string _botId = "";
    private string? _userNumber;
    private string _user = "";
    private IGrainTimer _pump = null!;
    private bool _pumping;

    private string UserNumber => _userNumber!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _botNumber = ConversationKey.BotNumberOf(this.GetPrimaryKeyString());
        _botId = ConversationKey.BotIdOf(this.GetPrimaryKeyString());
        _pump = this.RegisterGrainTimer(PumpAsync, new GrainTimerCreationOptions
        {
            DueTime = Timeout.InfiniteTimeSpan,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = true,
            KeepAlive = true,
        });
        return Task.CompletedTask;
    }

    /// <summary>Stored is accepted: the inbound row is committed (a fresh activation reads its open work with it).</summary>
    public async Task<ReceiveOutcome> EnqueueAsync(InboundMessage message)
    {
        Identify(message.UserNumber);
        using var scope = BeginScope();
        if (message.StoredId is not null)
        {
            // Committed by the Gateway before it answered Twilio: the table is read again before the next turn, so
            // that whatever committed before it (a forward still on its way, or one that failed) is answered first.
            _open.Stale = true;
            RunPumpIn(TimeSpan.Zero);
            return Received(message, isNew: !message.Redelivered);
        }

        int? load = _open.Stale ? _open.BeginLoad() : null;
        AcceptResult stored;
        try
        {
            // Its row belongs to this conversation's bot, whatever the caller named.
            stored = await store.AcceptAsync(message with { BotId = _botId }, MessageStatus.Received, loadConversation: load is not null);
        }
        catch
        {
            // Whether it committed is unknown: the caller tries again, and the next load finds it if it did.
            _open.Stale = true;
            throw;
        }

        _open.Stored(message, stored, load);
        RunPumpIn(TimeSpan.Zero);
        return Received(message, isNew: stored.Inserted);
    }

    /// <summary>Logs and counts a message handed to this conversation: new, or a MessageSid it was given before.</summary>
    private ReceiveOutcome Received(InboundMessage message, bool isNew)
    {
        if (!isNew)
        {
            LogDuplicate(_botNumber, message.MessageSid, _user);
            metrics.Duplicate(_botNumber);
            return ReceiveOutcome.Duplicate;
        }

        LogAccepted(_botNumber, message.MessageSid, _user);
        metrics.MessageReceived(_botNumber);
        return ReceiveOutcome.Accepted;
    }

    public Task WakeAsync(string userNumber)
    {
        Identify(userNumber);
        _open.Stale |= _open.IsEmpty; // with work in hand this activation is on it already
        RunPumpIn(TimeSpan.Zero);
        return Task.CompletedTask;
    }

    public async Task ResetAsync(string userNumber)
    {
        Identify(userNumber);
        using var scope = BeginScope();
        _open.Reset();
        await store.EraseAsync(_botId, userNumber);
        LogReset(_botNumber, _user);
    }

    /// <summary>Runs turns until nothing is open. Interleaves with the calls above, never with itself.</summary>
    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        if (_pumping || _userNumber is null)
        {
            return;
        }

        _pumping = true;
        using var scope = BeginScope();
        try
        {
            await PumpTurnsAsync(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A grain call or a write failed (a silo just died, the database blinked): the table is intact, so read
            // it again shortly and carry on.
            LogPumpRetry(ex, _botNumber, _user, PumpRetryDelay.TotalSeconds);
            _open.Stale = true;
            RunPumpIn(PumpRetryDelay);
        }
        finally
        {
            _pumping = false;
        }
    }

    private async Task PumpTurnsAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (_open.Stale)
            {
                await LoadAsync();
            }
            else if (_open.Outbox.Count > 0)
            {
                await DeliverAsync(_open.Outbox[0], cancellationToken);
            }
            else if (_open.State.Human is { NoticePending: true } handoff)
            {
                await NotifyHandoffAsync(handoff, cancellationToken);
            }
            else if ((_open.Inbox.Count == 0 && _open.State.Human is null) || !await AnswerInboxAsync(cancellationToken))
            {
                return;
            }
        }
    }

    /// <summary>One turn over every waiting message, written with the claim of those messages. False: look again later.</summary>
    private async Task<bool> AnswerInboxAsync(CancellationToken cancellationToken)
    {
        var bot = await CurrentBotAsync();
        if (bot is not { Enabled: true })
        {
            await DropInboxAsync(bot is null ? "bot_deleted" : "bot_disabled");
            return true;
        }

        if (_open.State.Human is not null)
        {
            // A person has the conversation: only a stop or start keyword is the bot's to answer.
            return (_open.Inbox.Count > 0 && await AnswerOptOutAsync(bot, cancellationToken)) || await AnswerHumanModeAsync(bot, cancellationToken);
        }

        if (_open.Inbox.Count == 0)
        {
            return false;
        }

        if (await AnswerOptOutAsync(bot, cancellationToken) || await AnswerControlKeywordAsync(bot, cancellationToken))
        {
            return true;
        }

        // Messages before a handoff or reset keyword get their turn first, without waiting for more.
        var keywordAt = _open.Inbox.FindIndex(m => IsControlKeyword(bot, m.Body));
        var wait = _open.Inbox[^1].ReceivedAt + TimeSpan.FromMilliseconds(bot.DebounceMs) - time.GetUtcNow();
        if (wait > TimeSpan.Zero && keywordAt < 0)
        {
            RunPumpIn(wait);
            return false;
        }

        var batch = keywordAt < 0 ? _open.Inbox.ToList() : _open.Inbox.Take(keywordAt).ToList();
        var resets = _open.Resets;

        // The turn continues the first message's trace (it may have been received hours ago, by another process) and
        // links to the others'; the assistant's and the media's HTTP calls nest under it.
        using var span = StartSpan("horizonai.turn", batch[0].TraceParent, batch.Skip(1).Select(m => m.TraceParent));
        span?.SetTag(HorizonTracing.MessageSidsTag, batch.Select(m => m.MessageSid).ToArray());
        var turn = await turns.RunAsync(bot, UserNumber, _open.State, batch, cancellationToken);
        span?.SetTag(HorizonTracing.OutcomeTag, turn.Failure?.Code ?? turn.Outcome.ToString());
        if (resets != _open.Resets)
        {
            return true; // erased meanwhile: the turn answers nothing
        }

        if (turn.Outcome == TurnOutcome.Interrupted)
        {
            return false; // the silo is stopping: the messages stay open in the table for the next activation
        }

        _open.AssistantConversationMade(turn.State.AssistantConversationId);
        if (turn.Outcome == TurnOutcome.RetryLater)
        {
            RunPumpIn(OutageRetryDelay);
            return false;
        }

        var handoff = turn.HandoffReason is { } reason ? NewHandoff(bot, Handoff.ByAssistant, reason, by: null) : null;
        var saved = _open.StateUnsaved || handoff is not null || turn.State.PendingCallId != _open.State.PendingCallId
            || (turn.Outcome == TurnOutcome.Answered && !turns.KeepsHistoryUpstream)
            ? turn.State with { Human = handoff }
            : null;
        var record = new TurnRecord(_botId, UserNumber, [.. batch.Select(m => m.Id)], turn.Parts, turn.InputTokens, turn.OutputTokens,
            turn.CachedTokens, turn.Failure?.Code, turn.Failure?.Reason, saved, turn.MediaReadings)
        {
            Handoff = handoff,
            BotModeOnly = true,
            TraceParent = span?.Id ?? batch[0].TraceParent,
        };
        var parts = await DurableWrite.RetryAsync(() => store.CommitTurnAsync(record), time, OnWriteRetry, cancellationToken);
        if (parts is null || resets != _open.Resets)
        {
            // Claimed or erased meanwhile (a reset, or another activation during a split brain): see what is left.
            LogTurnDiscarded(_botNumber, _user, batch.Count);
            _open.Stale = true;
            return true;
        }

        _open.Claimed(batch, parts, saved);
        if (parts.Count == 0)
        {
            metrics.MessagesSettled(_botNumber, batch.Count, turn.Failure?.Code ?? "error");
        }

        if (handoff is not null)
        {
            HandedOff(handoff);
        }

        return true;
    }

    /// <summary>Sends one part, then records it; the last part's record settles the messages of its reply.</summary>
    private async Task DeliverAsync(PendingPart part, CancellationToken cancellationToken)
    {
        var isLast = _open.IsLastOfReply(part);

        // The send continues its turn's trace, also when a later activation sends it; Twilio's HTTP call nests under it.
        using var span = StartSpan("horizonai.send", part.TraceParent);
        span?.SetTag("horizonai.part_id", part.Id);
        SentMessage? sent = _open.UnconfirmedHead == part.Id && _open.UnconfirmedSince is { } since ? await FindUnrecordedSendAsync(part, since, cancellationToken) : null;
        _open.UnconfirmedHead = null;
        _open.Trying(part.Id);
        UpstreamFailure? failure = null;
        try
        {
            sent ??= await sender.SendAsync(_botNumber, UserNumber, part.Body, part.MediaUrl,
                part.ContentSid is { } contentSid ? (contentSid, part.ContentVariables) : null, cancellationToken);
        }
        catch (Exception ex) when (!(cancellationToken.IsCancellationRequested && ex is OperationCanceledException) && ex is not ObjectDisposedException)
        {
            // A disposed sender means the silo is going away, not that Twilio refused: that propagates, and the part
            // stays pending for the next activation.
            failure = UpstreamFailure.From(ex);
            LogSendFailed(ex, _botNumber, _user, failure.Code, failure.Reason);
        }

        // Twilio has the part (or refused it for good): from here on only recording it is retried, never the send.
        var record = new PartRecord(_botId, UserNumber, part.Id, sent?.Sid, sent?.Status ?? MessageStatus.Failed, failure?.Code, failure?.Reason,
            failure is null ? null : "reply not delivered: " + failure.Reason, isLast)
        {
            AnswersInbound = part.SentBy is null,
            TraceParent = span?.Id ?? part.TraceParent,
        };
        span?.SetTag(HorizonTracing.MessageSidTag, sent?.Sid);
        span?.SetTag(HorizonTracing.OutcomeTag, failure?.Code ?? sent?.Status);
        var settled = await DurableWrite.RetryAsync(() => store.RecordPartAsync(record), time, OnWriteRetry, cancellationToken);
        _open.Recorded(part);
        if (sent is not null)
        {
            LogSent(_botNumber, _user, sent.Sid, _open.Outbox.Count);
            metrics.ReplySent(_botNumber);
            if (part.SentBy is not null)
            {
                metrics.OperatorMessage(_botNumber);
            }
        }

        if (settled.Count > 0)
        {
            metrics.MessagesSettled(_botNumber, settled.Count, settled.Failed > 0 ? settled.ErrorCode ?? "error" : null);
        }
    }

    /// <summary>
    /// After a crash, the first part left pending may have reached Twilio without being recorded: a message from the
    /// bot's number to the user in Twilio's list, created after the part's row was written (Twilio keeps whole
    /// seconds), with the part's text (a template's text is Twilio's), that no row of this conversation carries, is
    /// that part, and is recorded instead of sent again. If the list cannot be read, the part is sent (once more, at worst).
    /// </summary>
    private async Task<SentMessage?> FindUnrecordedSendAsync(PendingPart part, DateTimeOffset written, CancellationToken cancellationToken)
    {
        try
        {
            var after = written.AddTicks(-(written.Ticks % TimeSpan.TicksPerSecond));
            var listed = (await sender.ListSentAsync(_botNumber, UserNumber, cancellationToken))
                .Where(m => m.CreatedAt >= after && (part.ContentSid is not null || m.Body == part.Body))
                .ToList();
            if (listed.Count == 0)
            {
                return null;
            }

            var recorded = await store.RecordedSidsAsync(_botId, UserNumber, [.. listed.Select(m => m.Sid)]);
            var unrecorded = listed.FirstOrDefault(m => !recorded.Contains(m.Sid)); // the list is newest first
            if (unrecorded is null)
            {
                return null;
            }

            LogFoundUnrecorded(_botNumber, _user, unrecorded.Sid);
            return new SentMessage(unrecorded.Sid, unrecorded.Status);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not ObjectDisposedException)
        {
            LogListFailed(_botNumber, _user, UpstreamFailure.From(ex).Reason);
            return null;
        }
    }

    /// <summary>Fails the waiting messages of a bot that was disabled or removed before they were answered.</summary>
    private async Task DropInboxAsync(string reason)
    {
        var ids = _open.Inbox.Select(m => m.Id).ToList();
        await store.SettleAsync(_botId, UserNumber, ids, MessageStatus.Failed, reason, "the bot was removed or disabled before answering");
        _open.Inbox.RemoveAll(m => ids.Contains(m.Id));
        LogDropped(_botNumber, _user, ids.Count, reason);
        metrics.MessagesSettled(_botNumber, ids.Count, reason);
    }

    /// <summary>Reads the conversation's open work from the table (unless a reset or a newer reading overtook it).</summary>
    private async Task LoadAsync()
    {
        var load = _open.BeginLoad();
        var snapshot = await store.LoadAsync(_botId, UserNumber);
        if (_open.Apply(snapshot, load) && !_open.IsEmpty)
        {
            LogResuming(_botNumber, _user, _open.Inbox.Count, _open.Outbox.Count);
        }
    }

    private void OnWriteRetry(Exception exception, TimeSpan delay) =>
        LogWriteRetry(_botNumber, _user, exception.GetType().Name, delay.TotalMilliseconds);

    private void RunPumpIn(TimeSpan delay) => _pump.Change(delay, Timeout.InfiniteTimeSpan);

    /// <summary>The key holds only a pseudonym of the user's number: the number each call names must match it.</summary>
    private void Identify(string userNumber)
    {
        if (_userNumber == userNumber)
        {
            return;
        }

        if (_userNumber is not null || ConversationKey.For(_botNumber, _botId, userNumber) != this.GetPrimaryKeyString())
        {
            throw new ArgumentException($"User {PhoneMask.Mask(userNumber)} does not belong to conversation {this.GetPrimaryKeyString()}.", nameof(userNumber));
        }

        _userNumber = userNumber;
        _user = PhoneMask.Mask(userNumber);
    }

    /// <summary>This conversation's bot as configured now; null once it was deleted (its number may have another bot since).</summary>
    private async Task<BotDefinition?> CurrentBotAsync() =>
        await GrainFactory.GetGrain<IBotGrain>(_botNumber).GetAsync() is { } bot && bot.Id == _botId ? bot : null;

    /// <summary>A span of this conversation's work, child of the span that wrote the row it takes up (see <see cref="HorizonTracing"/>).</summary>
    private Activity? StartSpan(string name, string? traceParent, IEnumerable<string?>? linked = null)
    {
        var span = HorizonTracing.StartFrom(name, traceParent, linked);
        span?.SetTag(HorizonTracing.BotTag, _botNumber);
        span?.SetTag(HorizonTracing.UserTag, _user);
        return span;
    }

    /// <summary>Every line about this conversation carries the bot and the masked user as structured properties.</summary>
    private IDisposable? BeginScope() => logger.BeginScope(new Dictionary<string, object>
    {
        ["BotNumber"] = _botNumber,
        ["User"] = _user,
    });
}
