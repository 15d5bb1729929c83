using HorizonAI.Grains.Assistants;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Messaging;
using HorizonAI.Grains.Storage;
using HorizonAI.Grains.WhatsApp;
using HorizonAI.ServiceDefaults.Configuration;
using HorizonAI.ServiceDefaults.Logging;
using HorizonAI.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace HorizonAI.Grains.Conversations;

/// <summary>
/// One end user's conversation with one bot. <see cref="EnqueueAsync"/> only stores the message and returns; the
/// answer is produced by a pump that runs from a grain timer, one assistant turn at a time, taking every message
/// that arrived meanwhile into the next turn. While work is pending a reminder is registered, so that after a crash
/// the grain comes back on another silo and finishes it.
/// </summary>
public sealed partial class ConversationGrain(
    [PersistentState("conversation", GrainStorage.Name)] IPersistentState<ConversationState> state,
    IAssistant assistant,
    IWhatsAppSender sender,
    IMessageLog messageLog,
    IOptions<OpenAIOptions> openAIOptions,
    HorizonMetrics metrics,
    TimeProvider time,
    ILogger<ConversationGrain> logger) : Grain, IConversationGrain, IRemindable
{
    private const string RecoveryReminder = "pending-work";
    private const int RecentSidLimit = 500;
    private static readonly TimeSpan RecoveryPeriod = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan TurnTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan OutageRetryDelay = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PumpRetryDelay = TimeSpan.FromSeconds(3);

    /// <summary>How soon the pump looks again at messages still being stored or logged.</summary>
    private static readonly TimeSpan LookAgainDelay = TimeSpan.FromMilliseconds(50);

    private string _botNumber = "";
    private IGrainTimer? _pumpTimer;
    private bool _pumping;
    private bool _reminderRegistered;
    private IGrainReminder? _reminder;
    private bool _outboxFromStorage;
    private Task _lastWrite = Task.CompletedTask;

    // Inbound rows of the message log are written after the acknowledgement; the pump makes sure of them before a
    // message joins a turn (see LogInboundAsync). Messages whose state write is still in flight are not accepted yet:
    // the pump neither logs nor answers them.
    private readonly HashSet<string> _loggedSids = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unconfirmedSids = new(StringComparer.Ordinal);
    private readonly List<Task> _inboundLogWrites = [];

    private ConversationState State => state.State;

    private string UserNumber => State.UserNumber;

    private bool HasWork => State.Inbox.Count > 0 || State.Outbox is not null;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _botNumber = ConversationKey.BotNumberOf(this.GetPrimaryKeyString());
        _outboxFromStorage = State.Outbox is not null;
        _pumpTimer = this.RegisterGrainTimer(PumpAsync, new GrainTimerCreationOptions
        {
            DueTime = HasWork ? TimeSpan.Zero : Timeout.InfiniteTimeSpan,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = true,
            KeepAlive = true,
        });
        if (State.Inbox.Count > 0)
        {
            LogResuming(_botNumber, PhoneMask.Mask(UserNumber), State.Inbox.Count);
        }

        return Task.CompletedTask;
    }

    public async Task<ReceiveOutcome> EnqueueAsync(InboundMessage message)
    {
        using var scope = BeginScope();
        if (State.RecentSids.Contains(message.MessageSid)
            || await messageLog.InboundExistsAsync(_botNumber, message.MessageSid))
        {
            LogDuplicate(_botNumber, message.MessageSid, PhoneMask.Mask(UserNumber));
            metrics.Duplicate(_botNumber);
            return ReceiveOutcome.Duplicate;
        }

        // The reminder first: a crash after the write below must find it; a reminder with nothing to do is harmless.
        await EnsureRecoveryReminderAsync();

        State.UserNumber = message.UserNumber;
        _unconfirmedSids.Add(message.MessageSid);
        var text = Describe(message);
        State.Inbox.Add(new PendingMessage { Sid = message.MessageSid, Text = text, Body = text == message.Body ? null : message.Body, ReceivedAt = message.ReceivedAt });
        State.RecentSids.Add(message.MessageSid);
        if (State.RecentSids.Count > RecentSidLimit)
        {
            State.RecentSids.RemoveRange(0, State.RecentSids.Count - RecentSidLimit);
        }

        State.LastArrival = time.GetUtcNow();
        try
        {
            await SaveAsync();
        }
        catch
        {
            // Not stored, so not accepted: forget it, or Twilio's retry of it would be taken for a duplicate.
            State.Inbox.RemoveAll(m => m.Sid == message.MessageSid);
            State.RecentSids.Remove(message.MessageSid);
            throw;
        }
        finally
        {
            _unconfirmedSids.Remove(message.MessageSid);
        }

        // Stored is accepted: the message log's row follows without holding up the acknowledgement.
        LogAccepted(_botNumber, message.MessageSid, PhoneMask.Mask(UserNumber));
        metrics.MessageReceived(_botNumber);
        _inboundLogWrites.Add(LogInboundAsync(message));
        _pumpTimer!.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        return ReceiveOutcome.Accepted;
    }

    public async Task ResetAsync(string userNumber)
    {
        // Cleared before the first await: the pump interleaves, and must not deliver an outbox whose log rows this
        // deletes (an outbox read from storage is checked against the log, which would then say "not settled").
        State.UserNumber = userNumber;
        State.AssistantConversationId = null;
        State.History.Clear();
        State.Inbox.Clear();
        State.Outbox = null;
        _outboxFromStorage = false;

        // Stored before the log is erased (an outbox left in storage would otherwise find its rows gone and be sent
        // again), and after the inbound rows still being written, so that none comes back after the erasure.
        await SaveAsync();
        await Task.WhenAll(_inboundLogWrites.ToArray());
        _inboundLogWrites.Clear();
        _loggedSids.Clear();
        await messageLog.DeleteConversationAsync(_botNumber, userNumber);
        LogReset(_botNumber, PhoneMask.Mask(userNumber));
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        _reminderRegistered = true;
        _pumpTimer!.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    /// <summary>Runs turns until nothing is pending. Interleaves with <see cref="EnqueueAsync"/>, never with itself.</summary>
    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        if (_pumping)
        {
            return;
        }

        _pumping = true;
        using var scope = BeginScope();
        try
        {
            await PumpTurnsAsync(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not InconsistentStateException)
        {
            // A grain call or a write failed (a silo just died, the database blinked): the state is intact, so try
            // again shortly rather than waiting for the recovery reminder.
            LogPumpRetry(ex, _botNumber, PhoneMask.Mask(UserNumber), PumpRetryDelay.TotalSeconds);
            _pumpTimer!.Change(PumpRetryDelay, Timeout.InfiniteTimeSpan);
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
            if (State.Outbox is { } outbox)
            {
                if (_outboxFromStorage)
                {
                    // A delivered reply's outbox is cleared in storage only by the next write (see DeliverAsync);
                    // the message log says whether this one was delivered and settled before the last activation
                    // ended. Until that question is answered (a failed read is asked again), nothing is delivered.
                    var settled = await messageLog.AreSettledAsync(_botNumber, outbox.AnsweredSids);
                    _outboxFromStorage = false;
                    if (settled || !ReferenceEquals(State.Outbox, outbox))
                    {
                        // Settled, or reset meanwhile (ResetAsync): nothing to deliver.
                        if (ReferenceEquals(State.Outbox, outbox))
                        {
                            State.Outbox = null;
                        }

                        continue;
                    }
                }

                await DeliverAsync(outbox, cancellationToken);
                continue;
            }

            if (State.Inbox.Count == 0)
            {
                await ClearRecoveryReminderAsync();
                return;
            }

            var bot = await GrainFactory.GetGrain<IBotGrain>(_botNumber).GetAsync();
            await EnsureInboxLoggedAsync();
            if (bot is null || !bot.Enabled)
            {
                if (!await DropInboxAsync(bot is null ? "bot_deleted" : "bot_disabled"))
                {
                    _pumpTimer!.Change(LookAgainDelay, Timeout.InfiniteTimeSpan);
                    return;
                }

                continue;
            }

            var wait = State.LastArrival + TimeSpan.FromMilliseconds(bot.DebounceMs) - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                _pumpTimer!.Change(wait, Timeout.InfiniteTimeSpan);
                return;
            }

            // Only messages whose inbound row exists join the turn, so that the reply's settlement finds all of them
            // (a reply stored unsettled would be delivered again by a later activation; see the outbox check above).
            var batch = State.Inbox.Where(m => _loggedSids.Contains(m.Sid)).ToList();
            if (batch.Count == 0)
            {
                // Everything pending arrived during the awaits above and is still being stored or logged: look again shortly.
                _pumpTimer!.Change(LookAgainDelay, Timeout.InfiniteTimeSpan);
                return;
            }

            var reply = await RunTurnAsync(bot, batch, cancellationToken);
            if (reply is null)
            {
                return; // shutting down: the inbox is intact and another activation resumes it
            }

            if (reply.Failed && reply.RetryLater)
            {
                // An outage: keep the messages and try the turn again shortly instead of failing them now.
                _pumpTimer!.Change(OutageRetryDelay, Timeout.InfiniteTimeSpan);
                return;
            }

            State.Inbox.RemoveAll(m => reply.AnsweredSids.Contains(m.Sid));
            State.Outbox = reply;
            await SaveAsync();
        }
    }

    private async Task<PendingReply?> RunTurnAsync(BotDefinition bot, List<PendingMessage> batch, CancellationToken cancellationToken)
    {
        var reply = new PendingReply { AnsweredSids = batch.Select(m => m.Sid).ToList() };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TurnTimeout);
        var started = time.GetTimestamp();
        try
        {
            await EnsureAssistantConversationAsync(bot, timeout.Token);
            var typing = bot.TypingIndicator ? ShowTypingAsync(batch[^1].Sid, timeout.Token) : Task.CompletedTask;
            var userMessages = batch.Select(m => m.Text).ToList();
            Task<AssistantReply> AskAsync() => assistant.ReplyAsync(
                new AssistantRequest(bot, State.AssistantConversationId, userMessages, assistant.KeepsHistoryUpstream ? [] : State.History), timeout.Token);
            AssistantReply answer;
            try
            {
                answer = await AskAsync();
            }
            catch (AssistantConversationLostException lost)
            {
                // Without this the user's every later message would fail the same way; once is enough to try.
                LogAssistantConversationLost(_botNumber, PhoneMask.Mask(UserNumber), lost.ConversationId);
                State.AssistantConversationId = null;
                await EnsureAssistantConversationAsync(bot, timeout.Token);
                answer = await AskAsync();
            }

            await typing;
            reply.InputTokens = answer.InputTokens;
            reply.OutputTokens = answer.OutputTokens;
            reply.CachedTokens = answer.CachedTokens;
            reply.Parts = ReplySplitter.Split(answer.Text).ToList();
            if (reply.Parts.Count == 0)
            {
                return Fail(reply, bot, new UpstreamFailure("empty_answer", "the assistant answered with no text"));
            }

            if (!assistant.KeepsHistoryUpstream)
            {
                Remember(userMessages, answer.Text);
            }

            var elapsed = time.GetElapsedTime(started);
            metrics.AssistantTurn(_botNumber, elapsed, answer.InputTokens, answer.OutputTokens, answer.CachedTokens);
            LogTurnCompleted(_botNumber, PhoneMask.Mask(UserNumber), batch.Count, reply.Parts.Count, elapsed.TotalMilliseconds);
            return reply;
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is OperationCanceledException)
        {
            return null;
        }
        catch (ObjectDisposedException ex)
        {
            // The silo is going away under this turn (its clients and pipelines already disposed): not the
            // assistant's failure. The inbox is intact in storage and the next activation answers it.
            LogTurnInterrupted(ex, _botNumber, PhoneMask.Mask(UserNumber));
            return null;
        }
        catch (Exception ex)
        {
            var failure = UpstreamFailure.From(ex);
            var patience = TimeSpan.FromSeconds(openAIOptions.Value.OutagePatienceSeconds);
            if (failure.IsTransient && time.GetUtcNow() - batch[0].ReceivedAt < patience)
            {
                LogTurnDeferred(_botNumber, PhoneMask.Mask(UserNumber), failure.Code, OutageRetryDelay.TotalSeconds);
                reply.Failed = true;
                reply.RetryLater = true;
                return reply;
            }

            LogTurnFailed(ex, _botNumber, PhoneMask.Mask(UserNumber), failure.Code, failure.Reason);
            return Fail(reply, bot, failure);
        }
    }

    private async Task EnsureAssistantConversationAsync(BotDefinition bot, CancellationToken cancellationToken)
    {
        if (State.AssistantConversationId is null)
        {
            var conversationId = await assistant.StartConversationAsync(bot, UserNumber, cancellationToken);
            if (conversationId is not null)
            {
                State.AssistantConversationId = conversationId;
                await SaveAsync();
            }
        }
    }

    /// <summary>Best effort: a failed typing indicator is logged and never holds up the answer.</summary>
    private async Task ShowTypingAsync(string inboundSid, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await sender.SendTypingIndicatorAsync(inboundSid, timeout.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var failure = UpstreamFailure.From(ex);
            LogTypingFailed(_botNumber, PhoneMask.Mask(UserNumber), failure.Code, failure.Reason);
        }
    }

    /// <summary>Appends the turn to the history we keep, then drops the oldest turns beyond the budget.</summary>
    private void Remember(IEnumerable<string> userMessages, string answer)
    {
        State.History.AddRange(userMessages.Select(text => new HistoryTurn { Role = HistoryTurn.User, Text = text }));
        State.History.Add(new HistoryTurn { Role = HistoryTurn.Assistant, Text = answer });
        var budget = openAIOptions.Value.HistoryMaxChars;
        var total = State.History.Sum(t => t.Text.Length);
        var drop = 0;
        while (drop < State.History.Count && total > budget)
        {
            total -= State.History[drop++].Text.Length;
        }

        State.History.RemoveRange(0, drop);
    }

    private static PendingReply Fail(PendingReply reply, BotDefinition bot, UpstreamFailure failure)
    {
        reply.Failed = true;
        reply.ErrorCode = failure.Code;
        reply.ErrorMessage = failure.Reason;
        reply.Parts = string.IsNullOrWhiteSpace(bot.FallbackMessage) ? [] : ReplySplitter.Split(bot.FallbackMessage).ToList();
        return reply;
    }

    private async Task DeliverAsync(PendingReply reply, CancellationToken cancellationToken)
    {
        var settled = false;
        for (var i = reply.SentParts; i < reply.Parts.Count; i++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            var part = reply.Parts[i];
            var tokens = i == 0 ? reply : null;
            SentMessage? sent = null;
            OutboundRecord record;
            try
            {
                sent = await sender.SendAsync(_botNumber, UserNumber, part, cancellationToken);

                // Twilio has the part: from here on, only recording it may be retried, never the send.
                record = new OutboundRecord(_botNumber, UserNumber, part, sent.Sid, sent.Status,
                    InputTokens: tokens?.InputTokens, OutputTokens: tokens?.OutputTokens, CachedTokens: tokens?.CachedTokens);
            }
            catch (Exception ex) when (!(cancellationToken.IsCancellationRequested && ex is OperationCanceledException) && ex is not ObjectDisposedException)
            {
                // A disposed sender means the silo is going away, not that Twilio refused: that propagates, and the
                // outbox in storage is delivered by the next activation.
                var failure = UpstreamFailure.From(ex);
                LogSendFailed(ex, _botNumber, PhoneMask.Mask(UserNumber), failure.Code, failure.Reason);
                reply.Failed = true;
                reply.ErrorCode ??= failure.Code;
                reply.ErrorMessage ??= "reply not delivered: " + failure.Reason;
                record = new OutboundRecord(_botNumber, UserNumber, part, null, MessageStatus.Failed, failure.Code, failure.Reason,
                    tokens?.InputTokens, tokens?.OutputTokens, tokens?.CachedTokens);
            }

            // The last part settles the messages it answers in the same statement.
            var settlement = i == reply.Parts.Count - 1 ? Settlement(reply) : null;
            await DurablyAsync(() => messageLog.RecordOutboundAsync(record, settlement), cancellationToken);
            settled = settlement is not null;
            if (sent is not null)
            {
                LogSent(_botNumber, PhoneMask.Mask(UserNumber), i + 1, reply.Parts.Count, sent.Sid);
                metrics.ReplySent(_botNumber);
            }

            reply.SentParts = i + 1;
            if (reply.SentParts < reply.Parts.Count)
            {
                await DurablyAsync(SaveAsync, cancellationToken);
            }
        }

        if (!settled)
        {
            var settlement = Settlement(reply);
            await DurablyAsync(() => messageLog.MarkInboundAsync(
                _botNumber, settlement.MessageSids, settlement.Status, settlement.ErrorCode, settlement.ErrorMessage), cancellationToken);
        }

        // Not written now: the settlement above is durable, so the next write of the state (the next message or
        // turn) carries the empty outbox, and an activation that finds this outbox in storage checks the log first.
        State.Outbox = null;
        metrics.MessagesSettled(_botNumber, reply.AnsweredSids.Count, reply.Failed ? reply.ErrorCode ?? "error" : null);
    }

    private static InboundSettlement Settlement(PendingReply reply) =>
        new(reply.AnsweredSids, reply.Failed ? MessageStatus.Failed : MessageStatus.Answered, reply.ErrorCode, reply.ErrorMessage);

    /// <summary>Marks the logged messages of the inbox failed and drops them; false when none is logged yet.</summary>
    private async Task<bool> DropInboxAsync(string reason)
    {
        var sids = State.Inbox.Where(m => _loggedSids.Contains(m.Sid)).Select(m => m.Sid).ToList();
        if (sids.Count == 0)
        {
            return false;
        }

        await messageLog.MarkInboundAsync(_botNumber, sids, MessageStatus.Failed, reason, "the bot was removed or disabled before answering");
        State.Inbox.RemoveAll(m => sids.Contains(m.Sid));
        await SaveAsync();
        LogDropped(_botNumber, PhoneMask.Mask(UserNumber), sids.Count, reason);
        metrics.MessagesSettled(_botNumber, sids.Count, reason);
        return true;
    }

    /// <summary>
    /// Retries a write through a short database outage (a restart, a failover) instead of giving up on the turn: once
    /// Twilio has a reply, failing here would mean sending it again later.
    /// </summary>
    private async Task DurablyAsync(Func<Task> write, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        var deadline = time.GetUtcNow() + TimeSpan.FromMinutes(2);
        while (true)
        {
            try
            {
                await write();
                return;
            }
            catch (Exception ex) when (ex is not InconsistentStateException and not OperationCanceledException && time.GetUtcNow() < deadline && !cancellationToken.IsCancellationRequested)
            {
                LogWriteRetry(_botNumber, PhoneMask.Mask(UserNumber), ex.GetType().Name, delay.TotalMilliseconds);
                await Task.Delay(delay, time, cancellationToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }
    }

    /// <summary>Writes one at a time: the pump and incoming messages interleave, and the storage ETag allows no overlap.</summary>
    private async Task SaveAsync()
    {
        var previous = _lastWrite;
        var done = new TaskCompletionSource();
        _lastWrite = done.Task;
        try
        {
            await previous;
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException)
        {
            // Another activation wrote this state (a split brain after a silo was declared dead): start over from storage.
            DeactivateOnIdle();
            throw;
        }
        finally
        {
            done.SetResult();
        }
    }

    /// <summary>
    /// Writes the inbound row of an accepted message to the message log, after the acknowledgement. A failure is left
    /// for <see cref="EnsureInboxLoggedAsync"/>, which the pump runs before it settles any message.
    /// </summary>
    private async Task LogInboundAsync(InboundMessage message)
    {
        var sid = message.MessageSid;
        try
        {
            await messageLog.RecordInboundAsync(message, MessageStatus.Received);
            _loggedSids.Add(sid);
        }
        catch (Exception ex)
        {
            LogInboundLogDeferred(_botNumber, sid, PhoneMask.Mask(UserNumber), ex.GetType().Name);
        }
    }

    /// <summary>Every message in the inbox has its inbound row (a retry is harmless: one row per MessageSid).</summary>
    private async Task EnsureInboxLoggedAsync()
    {
        if (_inboundLogWrites.Count > 0)
        {
            var writes = _inboundLogWrites.ToArray();
            _inboundLogWrites.Clear();
            await Task.WhenAll(writes);
        }

        foreach (var pending in State.Inbox.Where(m => !_loggedSids.Contains(m.Sid) && !_unconfirmedSids.Contains(m.Sid)).ToList())
        {
            await messageLog.RecordInboundAsync(
                new InboundMessage { MessageSid = pending.Sid, BotNumber = _botNumber, UserNumber = UserNumber, Body = pending.Body ?? pending.Text, ReceivedAt = pending.ReceivedAt },
                MessageStatus.Received);
            _loggedSids.Add(pending.Sid);
        }

        if (_loggedSids.Count > RecentSidLimit)
        {
            _loggedSids.IntersectWith(State.Inbox.Select(m => m.Sid).Concat(State.Outbox?.AnsweredSids ?? []));
        }
    }

    private async Task EnsureRecoveryReminderAsync()
    {
        if (!_reminderRegistered)
        {
            _reminder = await this.RegisterOrUpdateReminder(RecoveryReminder, RecoveryPeriod, RecoveryPeriod);
            _reminderRegistered = true;
        }
    }

    /// <summary>
    /// Removes the reminder once nothing is pending. Messages can arrive while this awaits (the pump interleaves with
    /// <see cref="EnqueueAsync"/>), so the flag stays set until the end and the inbox is checked again after each step:
    /// pending work must never be left without its reminder.
    /// </summary>
    private async Task ClearRecoveryReminderAsync()
    {
        if (!_reminderRegistered)
        {
            return;
        }

        // The handle from our own registration saves a read; one registered by an earlier activation is looked up.
        var reminder = _reminder ?? await this.GetReminder(RecoveryReminder);
        if (HasWork)
        {
            return;
        }

        _reminder = null;
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }

        if (HasWork)
        {
            _reminder = await this.RegisterOrUpdateReminder(RecoveryReminder, RecoveryPeriod, RecoveryPeriod);
            return;
        }

        _reminderRegistered = false;
    }

    /// <summary>Every line about this conversation carries the bot and the masked user as structured properties.</summary>
    private IDisposable? BeginScope() => logger.BeginScope(new Dictionary<string, object>
    {
        ["BotNumber"] = _botNumber,
        ["User"] = PhoneMask.Mask(UserNumber),
    });

    private static string Describe(InboundMessage message) =>
        message.MediaUrls.Length == 0
            ? message.Body
            : string.Join('\n', new[] { message.Body }.Concat(message.MediaUrls.Select(url => "[media] " + url))).Trim();

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Bot {BotNumber}: accepted message {MessageSid} from {User}")]
    private partial void LogAccepted(string botNumber, string messageSid, string user);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Bot {BotNumber}: message {MessageSid} from {User} was already accepted; ignoring the retry")]
    private partial void LogDuplicate(string botNumber, string messageSid, string user);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Bot {BotNumber}: answered {Messages} message(s) from {User} in {Parts} part(s) after {ElapsedMs:F0} ms")]
    private partial void LogTurnCompleted(string botNumber, string user, int messages, int parts, double elapsedMs);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Bot {BotNumber}: assistant turn for {User} failed ({Code}: {Reason})")]
    private partial void LogTurnFailed(Exception exception, string botNumber, string user, string code, string reason);

    [LoggerMessage(EventId = 2015, Level = LogLevel.Warning, Message = "Bot {BotNumber}: assistant turn for {User} interrupted by the silo stopping; the messages stay pending")]
    private partial void LogTurnInterrupted(Exception exception, string botNumber, string user);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Bot {BotNumber}: reply part {Part}/{Parts} to {User} accepted by Twilio as {TwilioSid}")]
    private partial void LogSent(string botNumber, string user, int part, int parts, string twilioSid);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "Bot {BotNumber}: reply to {User} not sent ({Code}: {Reason})")]
    private partial void LogSendFailed(Exception exception, string botNumber, string user, string code, string reason);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Bot {BotNumber}: dropped {Count} pending message(s) from {User} ({Reason})")]
    private partial void LogDropped(string botNumber, string user, int count, string reason);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "Bot {BotNumber}: conversation with {User} reset")]
    private partial void LogReset(string botNumber, string user);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning, Message = "Bot {BotNumber}: typing indicator for {User} failed ({Code}: {Reason}); answering anyway")]
    private partial void LogTypingFailed(string botNumber, string user, string code, string reason);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "Bot {BotNumber}: storing progress of the conversation with {User} failed ({Error}); retrying in {DelayMs} ms")]
    private partial void LogWriteRetry(string botNumber, string user, string error, double delayMs);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Bot {BotNumber}: assistant unavailable for {User} ({Code}); keeping the messages and retrying in {DelaySeconds} s")]
    private partial void LogTurnDeferred(string botNumber, string user, string code, double delaySeconds);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "Bot {BotNumber}: work on the conversation with {User} was interrupted; resuming in {DelaySeconds} s")]
    private partial void LogPumpRetry(Exception exception, string botNumber, string user, double delaySeconds);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Warning, Message = "Bot {BotNumber}: OpenAI no longer has the conversation {ConversationId} with {User}; continuing on a new one without its history")]
    private partial void LogAssistantConversationLost(string botNumber, string user, string conversationId);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Warning, Message = "Bot {BotNumber}: logging message {MessageSid} from {User} failed ({Error}); the pump logs it before answering")]
    private partial void LogInboundLogDeferred(string botNumber, string messageSid, string user, string error);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information, Message = "Bot {BotNumber}: resuming conversation with {User}, {Pending} message(s) pending")]
    private partial void LogResuming(string botNumber, string user, int pending);
}
