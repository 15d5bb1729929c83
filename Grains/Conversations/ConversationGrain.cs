using System.Diagnostics;
using HorizonAI.Grains.Assistants;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Messaging;
using HorizonAI.Grains.Storage;
using HorizonAI.Grains.WhatsApp;
using HorizonAI.ServiceDefaults.Logging;
using HorizonAI.ServiceDefaults.Telemetry;
using HorizonAI.Storage;
using Microsoft.Extensions.Logging;

namespace HorizonAI.Grains.Conversations;

/// <summary>
/// One end user's conversation with one bot: the serialiser of its turns, not its database. A message's life, top to
/// bottom: <see cref="EnqueueAsync"/> takes a message whose row is committed and returns; a pump on a grain timer reads
/// what the table says is open (one indexed read per round) and runs one assistant turn at a time over every message
/// waiting; the turn's reply parts are written together with the claim of the messages they answer and of the first
/// part's send; each part is sent, then recorded, and the last one settles the messages. The keyword rules
/// (<see cref="OptOutRule"/>, <see cref="ControlKeywords"/>), human mode (<see cref="HandoffDesk"/>) and the business's
/// own messages (<see cref="OperatorMessages"/>) are collaborators beside it. Nothing open is kept in memory: after a
/// crash the table still says what was open, and the recovery sweep (<see cref="IInboxSweepGrain"/>) wakes the
/// conversation wherever it activates next.
/// </summary>
public sealed partial class ConversationGrain(
    IMessageStore store,
    AssistantTurns turns,
    OptOutRule optOut,
    ControlKeywords keywords,
    HandoffDesk handoffs,
    OperatorMessages operators,
    IAssistant assistant,
    DurableWrite writes,
    IWhatsAppSender sender,
    HorizonMetrics metrics,
    TimeProvider time,
    ILogger<ConversationGrain> logger) : Grain, IConversationGrain
{
    private static readonly TimeSpan OutageRetryDelay = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PumpRetryDelay = TimeSpan.FromSeconds(3);

    private string _botNumber = "";
    private string _botId = "";
    private ConversationAddress? _conversation;
    private IGrainTimer _pump = null!;
    private bool _pumping;

    /// <summary>When the pump is set to run next (a new message, a debounce, an outage, an auto-resume); null when it is not.</summary>
    private DateTimeOffset? _pumpDueAt;

    /// <summary>A wake finds a pump due this soon (or under way) and leaves it be: the sweep comes round again before long.</summary>
    private static readonly TimeSpan WakeGrace = TimeSpan.FromSeconds(10);
    private bool _resumeLogged;

    /// <summary>New messages handed to this activation before its first read: what that read finds beyond them was left open before.</summary>
    private int _handedBeforeFirstRead;

    /// <summary>The bot's configuration as the newest forwarded message carried it (or as read once); null until known.</summary>
    private BotDefinition? _bot;
    private bool _botKnown;

    /// <summary>Counts calls that may have changed the table since the pump's last read (a message, an operator's, a wake).</summary>
    private int _changes;

    /// <summary>An assistant conversation made by a turn that was not committed (the assistant was down): the next turn goes on in it.</summary>
    private string? _unsavedAssistantConversation;

    /// <summary>
    /// This activation's share of the silo's inbox backlog gauge: the messages its last read found waiting for a turn,
    /// less those it has since taken up; given back when it deactivates, so the gauge never counts a message twice.
    /// </summary>
    private int _waiting;

    private ConversationAddress Conversation => _conversation!;

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

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Waiting(0); // another activation counts what is still open when it reads the table
        return Task.CompletedTask;
    }

    /// <summary>
    /// A message for this conversation. Stored already (the Gateway commits it before answering Twilio), or stored here;
    /// either way the pump is started and the caller never waits on a turn. The bot's configuration comes with it.
    /// </summary>
    public async Task<ReceiveOutcome> EnqueueAsync(InboundMessage message)
    {
        Identify(message.UserNumber);
        using var scope = BeginScope();
        if (message.Bot is { } carried && carried.Id == _botId && (_bot is null || carried.Version > _bot.Version))
        {
            _bot = carried;
            _botKnown = true;
        }

        bool isNew;
        if (message.StoredId is not null)
        {
            isNew = !message.Redelivered;
        }
        else
        {
            // Its row belongs to this conversation's bot, whatever the caller named; a disabled bot's is kept unanswered.
            // (A deleted bot's are settled by the pump, as those stored before it was deleted.)
            var disabled = BotDefinition.Refusal(await BotAsync()) == "bot_disabled";
            var stored = await store.AcceptAsync(message with { BotId = _botId }, disabled ? MessageStatus.Ignored : MessageStatus.Received);
            if (disabled && stored.Inserted)
            {
                LogDisabled(_botNumber, message.MessageSid, Conversation.User);
                return ReceiveOutcome.RecordedWithoutReply;
            }

            isNew = stored.Inserted;
        }

        Changed();
        if (!isNew)
        {
            LogDuplicate(_botNumber, message.MessageSid, Conversation.User);
            metrics.Duplicate(_botNumber);
            return ReceiveOutcome.Duplicate;
        }

        if (!_resumeLogged)
        {
            _handedBeforeFirstRead++;
        }

        LogAccepted(_botNumber, message.MessageSid, Conversation.User);
        metrics.MessageReceived(_botNumber);
        return ReceiveOutcome.Accepted;
    }

    /// <summary>
    /// The recovery sweep found open work here. An activation at work on it (pumping, or due to pump within moments)
    /// takes the wake as a no-op; otherwise (a fresh activation, a forward that never came, a change made in the table
    /// behind its back, such as an idle time that has passed) the bot's configuration is read again, then the table.
    /// </summary>
    public Task WakeAsync(string userNumber)
    {
        Identify(userNumber);
        if (!_pumping && !(_pumpDueAt is { } due && due - time.GetUtcNow() <= WakeGrace))
        {
            _botKnown = false;
            Changed();
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Erases the conversation (an operator's erasure, or a purge of the bot): its rows, then its OpenAI conversation
    /// upstream (Responses; Chat Completions keeps none), and one a turn made but could not save.
    /// </summary>
    public async Task ResetAsync(string userNumber)
    {
        Identify(userNumber);
        using var scope = BeginScope();
        var unsaved = _unsavedAssistantConversation;
        _unsavedAssistantConversation = null;
        var erased = await store.EraseAsync(_botId, userNumber);
        Waiting(0);
        LogReset(_botNumber, Conversation.User);

        // Deleted upstream after the call has returned: the erasure is done once our rows are, and a slow OpenAI holds
        // up neither the caller (an operator, a bot's purge going through its users) nor this conversation's messages.
        _ = ForgetUpstreamAsync([.. new[] { erased.AssistantConversationId, unsaved }.OfType<string>().Distinct()]);
    }

    /// <summary>Deletes erased OpenAI conversations, each within 30 s; a failure is logged with the id to delete by hand.</summary>
    private async Task ForgetUpstreamAsync(IReadOnlyList<string> conversations)
    {
        foreach (var upstream in conversations)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await assistant.ForgetConversationAsync(upstream, timeout.Token);
            }
            catch (Exception ex)
            {
                // Its id is gone from our table already: the operator is told which one to delete by hand.
                LogForgetFailed(_botNumber, Conversation.User, upstream, ex.GetType().Name);
            }
        }
    }

    public async Task<OutboundOutcome> SendOperatorMessageAsync(OperatorMessage message)
    {
        Identify(message.UserNumber);
        using var scope = BeginScope();
        // Rare, and it may need the bot's newest settings (its re-engagement template): asked of the bot grain.
        var outcome = await operators.SendAsync(Conversation, message, CurrentBotAsync);
        Changed();
        return outcome;
    }

    public async Task<OutboundOutcome> SendTemplateAsync(TemplateMessage message)
    {
        Identify(message.UserNumber);
        using var scope = BeginScope();
        var outcome = await operators.SendTemplateAsync(Conversation, message);
        Changed();
        return outcome;
    }

    public async Task<ConversationControl> SetModeAsync(ConversationModeChange change)
    {
        Identify(change.UserNumber);
        using var scope = BeginScope();
        var control = await handoffs.SetModeAsync(Conversation, change);
        Changed(); // held messages wait, or given back ones are answered
        return control;
    }

    /// <summary>Runs rounds until nothing is open. Interleaves with the calls above, never with itself.</summary>
    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        _pumpDueAt = null; // the timer has fired
        if (_pumping || _conversation is null)
        {
            return;
        }

        _pumping = true;
        using var scope = BeginScope();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var changes = _changes;
                var open = await store.LoadAsync(_botId, Conversation.UserNumber);
                Waiting(open.Inbox.Count);
                LogResumingOnce(open);
                if (!await RoundAsync(open, cancellationToken) && changes == _changes)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A grain call or a write failed (a silo just died, the database blinked): the table is intact, so read
            // it again shortly and carry on.
            LogPumpRetry(ex, _botNumber, Conversation.User, PumpRetryDelay.TotalSeconds);
            RunPumpIn(PumpRetryDelay);
        }
        finally
        {
            _pumping = false;
        }
    }

    /// <summary>
    /// One round over what the table says is open: the outbox first (a reply in flight is finished before anything
    /// else), then a pending handoff notice, then the inbox. True: read the table again now.
    /// </summary>
    private async Task<bool> RoundAsync(ConversationSnapshot open, CancellationToken cancellationToken)
    {
        if (open.Outbox.Count > 0)
        {
            await DeliverAsync(open.Outbox, cancellationToken);
            return true;
        }

        if (open.Human is { NoticePending: true } handoff)
        {
            // The business's webhook hears of the handoff in a trace of its own (its row keeps none to continue).
            using var notice = StartSpan("horizonai.handoff.notice", null);
            await handoffs.NotifyAsync(Conversation, await BotAsync(), handoff, cancellationToken);
            return true;
        }

        if (open.Inbox.Count == 0 && open.Human is null)
        {
            return false;
        }

        var bot = await BotAsync();
        if (BotDefinition.Refusal(bot) is { } refusal)
        {
            using var dropped = StartTurnSpan(open.Inbox, refusal);
            await DropInboxAsync(open, refusal);
            return false;
        }

        if (open.Human is not null)
        {
            // A person has the conversation: only a stop or start keyword is the bot's to answer.
            if (OptOutRule.Applies(bot!, open))
            {
                return await AnswerRuleAsync(optOut.AnswerAsync, bot!, open, cancellationToken);
            }

            // Held for the person: a turn of the messages' traces that answers nothing.
            using var held = StartTurnSpan(open.Inbox, "held");
            return await handoffs.HoldAsync(Conversation, bot!, open, at => RunPumpIn(at - time.GetUtcNow()), cancellationToken);
        }

        if (OptOutRule.Applies(bot!, open))
        {
            return await AnswerRuleAsync(optOut.AnswerAsync, bot!, open, cancellationToken);
        }

        if (ControlKeywords.Applies(bot!, open))
        {
            return await AnswerRuleAsync(keywords.AnswerAsync, bot!, open, cancellationToken);
        }

        // Messages before a handoff or reset keyword get their turn first, without waiting for more.
        var keywordAt = open.Inbox.ToList().FindIndex(m => ControlKeywords.IsKeyword(bot!, m.Body));
        var wait = open.Inbox[^1].ReceivedAt + TimeSpan.FromMilliseconds(bot!.DebounceMs) - time.GetUtcNow();
        if (wait > TimeSpan.Zero && keywordAt < 0)
        {
            RunPumpIn(wait);
            return false;
        }

        var batch = keywordAt < 0 ? open.Inbox : open.Inbox.Take(keywordAt).ToList();
        return await AnswerAsync(bot, open, batch, cancellationToken) || keywordAt >= 0;
    }

    /// <summary>
    /// One assistant turn over <paramref name="batch"/>, written with the claim of those messages, then its reply
    /// delivered. True: read the table again now; false: nothing more until something changes (or the timer set here).
    /// </summary>
    private async Task<bool> AnswerAsync(BotDefinition bot, ConversationSnapshot open, IReadOnlyList<PendingInbound> batch, CancellationToken cancellationToken)
    {
        var state = open.State();
        if (state.AssistantConversationId is null && _unsavedAssistantConversation is not null)
        {
            state = state with { AssistantConversationId = _unsavedAssistantConversation };
        }

        // The turn continues the first message's trace (it may have been received hours ago, by another process) and
        // links to the others'; the assistant's and the media's HTTP calls nest under it.
        using var span = StartTurnSpan(batch, outcome: null);
        var turn = await turns.RunAsync(bot, Conversation.UserNumber, state, batch, cancellationToken);
        span?.SetTag(HorizonTracing.OutcomeTag, turn.Failure?.Code ?? turn.Outcome.ToString());
        if (turn.Knowledge is { FileSearches: > 0 } knowledge)
        {
            span?.SetTag("horizonai.file_searches", knowledge.FileSearches); // OpenAI searched the bot's vector stores: no span of ours
        }
        if (turn.Outcome == TurnOutcome.Interrupted)
        {
            return false; // the silo is stopping: the messages stay open in the table for the next activation
        }

        var madeUpstream = turn.State.AssistantConversationId != open.AssistantConversationId;
        if (turn.Outcome == TurnOutcome.RetryLater)
        {
            _unsavedAssistantConversation = turn.State.AssistantConversationId;
            RunPumpIn(OutageRetryDelay);
            return false;
        }

        var handoff = turn.HandoffReason is { } reason ? handoffs.NewHandoff(bot, Handoff.ByAssistant, reason) : null;
        var saved = madeUpstream || handoff is not null || turn.State.PendingCallId != open.PendingCallId
            || (turn.Outcome == TurnOutcome.Answered && !turns.KeepsHistoryUpstream)
            ? turn.State with { Human = handoff }
            : null;
        var record = new TurnRecord(_botId, Conversation.UserNumber, [.. batch.Select(m => m.Id)], turn.Parts, turn.InputTokens, turn.OutputTokens,
            turn.CachedTokens, turn.Failure?.Code, turn.Failure?.Reason, saved, turn.MediaReadings)
        {
            Handoff = handoff,
            BotModeOnly = true,
            TraceParent = span?.Id ?? batch[0].TraceParent,
            Knowledge = turn.Knowledge,
        };
        var parts = await writes.RetryAsync(Conversation, () => store.CommitTurnAsync(record), cancellationToken);
        _unsavedAssistantConversation = null;
        if (parts is null)
        {
            // Claimed, erased or taken over meanwhile (a reset, an operator, another activation during a split brain).
            LogTurnDiscarded(_botNumber, Conversation.User, batch.Count);
            return true;
        }

        Waiting(_waiting - batch.Count);

        if (parts.Count == 0)
        {
            metrics.MessagesFailed(_botNumber, batch.Count, turn.Failure?.Code ?? "error");
        }

        if (handoff is not null)
        {
            handoffs.HandedOff(Conversation, handoff);
        }

        return await DeliverIfClaimedAsync(parts, cancellationToken);
    }

    /// <summary>A keyword rule's turn: its answer is delivered, then the table read again (more may wait behind the keyword).</summary>
    private async Task<bool> AnswerRuleAsync(
        Func<ConversationAddress, BotDefinition, ConversationSnapshot, CancellationToken, Task<IReadOnlyList<PendingPart>>> rule,
        BotDefinition bot, ConversationSnapshot open, CancellationToken cancellationToken)
    {
        // A keyword's answer is a turn of its own, in the trace of the messages it settles.
        using var span = StartTurnSpan(open.Inbox, "keyword");
        await DeliverIfClaimedAsync(await rule(Conversation, bot, open, cancellationToken), cancellationToken);
        return true;
    }

    /// <summary>Delivers parts a write just stored, when that write also claimed the first one's send; else the next read finds them.</summary>
    private async Task<bool> DeliverIfClaimedAsync(IReadOnlyList<PendingPart> parts, CancellationToken cancellationToken)
    {
        if (parts.Count == 0 || !parts[0].ClaimedForSend)
        {
            return parts.Count > 0; // an older part waits in the outbox: it goes first
        }

        await DeliverAsync(parts, cancellationToken);
        return false;
    }

    /// <summary>
    /// Sends the parts in order, each recorded before the next is sent; the record of one claims the next one's send. A
    /// part whose send was claimed before (by a write of an earlier round or activation) may have reached Twilio
    /// without being recorded, so it is looked up there first; a part nobody claimed is claimed before it is sent.
    /// </summary>
    private async Task DeliverAsync(IReadOnlyList<PendingPart> parts, CancellationToken cancellationToken)
    {
        var claimed = parts[0].ClaimedForSend;
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            // The send continues its turn's (or its sender's) trace, also when a later activation sends it; the lookup of
            // an unrecorded send and Twilio's HTTP calls nest under it.
            using var span = StartSpan("horizonai.send", part.TraceParent);
            span?.SetTag("horizonai.part_id", part.Id);
            SentMessage? found = null;
            if (!claimed)
            {
                if (part.SendingSince is { } since)
                {
                    found = await FindUnrecordedSendAsync(part, since, cancellationToken);
                }
                else if (!await writes.RetryAsync(Conversation, () => store.ClaimSendAsync(_botId, Conversation.UserNumber, part.Id), cancellationToken))
                {
                    return; // recorded, erased or claimed by another meanwhile: the next read says what is left
                }
            }

            var next = i + 1 < parts.Count ? parts[i + 1] : null;
            var isLastOfReply = part.SentBy is null && !parts.Skip(i + 1).Any(p => p.SentBy is null);
            claimed = (await SendAndRecordAsync(span, part, found, isLastOfReply, next, parts.Count - i - 1, cancellationToken)).NextClaimed;
        }
    }

    /// <summary>Sends one part (unless Twilio has it already), then records it; the last part of a reply settles the messages it answers.</summary>
    private async Task<Settlement> SendAndRecordAsync(Activity? span, PendingPart part, SentMessage? sent, bool isLastOfReply, PendingPart? next, int remaining,
        CancellationToken cancellationToken)
    {
        UpstreamFailure? failure = null;
        try
        {
            sent ??= await sender.SendAsync(_botNumber, Conversation.UserNumber, part.Body, part.MediaUrl,
                part.ContentSid is { } contentSid ? (contentSid, part.ContentVariables) : null, cancellationToken);
        }
        catch (Exception ex) when (!(cancellationToken.IsCancellationRequested && ex is OperationCanceledException) && ex is not ObjectDisposedException
            && ex is not Polly.RateLimiting.RateLimiterRejectedException)
        {
            // A disposed sender means the silo is going away, and a call this silo refused to make (too many in flight)
            // never reached Twilio: neither is Twilio's refusal, so they propagate and the part stays pending (its send
            // claimed) for the pump's next round.
            failure = UpstreamFailure.From(ex);
            LogSendFailed(ex, _botNumber, Conversation.User, failure.Code, failure.Reason);
        }

        // Twilio has the part (or refused it for good): from here on only recording it is retried, never the send.
        var record = new PartRecord(_botId, Conversation.UserNumber, part.Id, sent?.Sid, sent?.Status ?? MessageStatus.Failed, failure?.Code, failure?.Reason,
            failure is null ? null : "reply not delivered: " + failure.Reason, isLastOfReply)
        {
            AnswersInbound = part.SentBy is null,
            TraceParent = span?.Id ?? part.TraceParent,
            Next = next?.Id,
        };
        span?.SetTag(HorizonTracing.MessageSidTag, sent?.Sid);
        span?.SetTag(HorizonTracing.OutcomeTag, failure?.Code ?? sent?.Status);
        var settled = await writes.RetryAsync(Conversation, () => store.RecordPartAsync(record), cancellationToken);
        if (sent is not null)
        {
            LogSent(_botNumber, Conversation.User, sent.Sid, remaining);
            metrics.ReplySent(_botNumber);
            if (part.SentBy is not null)
            {
                metrics.OperatorMessage(_botNumber);
            }
        }

        if (settled.Failed > 0)
        {
            metrics.MessagesFailed(_botNumber, settled.Count, settled.ErrorCode ?? "error");
        }

        return settled;
    }

    /// <summary>
    /// A part whose send was claimed before may have reached Twilio without being recorded: a message from the bot's
    /// number to the user in Twilio's list, created since the claim (Twilio keeps whole seconds), with the part's text (a
    /// template's text is Twilio's), that no row of this conversation carries, is that part, and is recorded instead of
    /// sent again. If the list cannot be read, the part is sent (once more, at worst).
    /// </summary>
    private async Task<SentMessage?> FindUnrecordedSendAsync(PendingPart part, DateTimeOffset claimedAt, CancellationToken cancellationToken)
    {
        try
        {
            var after = claimedAt.AddTicks(-(claimedAt.Ticks % TimeSpan.TicksPerSecond));
            var listed = (await sender.ListSentAsync(_botNumber, Conversation.UserNumber, cancellationToken))
                .Where(m => m.CreatedAt >= after && (part.ContentSid is not null || m.Body == part.Body))
                .ToList();
            if (listed.Count == 0)
            {
                return null;
            }

            var recorded = await store.RecordedSidsAsync(_botId, Conversation.UserNumber, [.. listed.Select(m => m.Sid)]);
            var unrecorded = listed.FirstOrDefault(m => !recorded.Contains(m.Sid)); // the list is newest first
            if (unrecorded is null)
            {
                return null;
            }

            LogFoundUnrecorded(_botNumber, Conversation.User, unrecorded.Sid);
            return new SentMessage(unrecorded.Sid, unrecorded.Status);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not ObjectDisposedException)
        {
            LogListFailed(_botNumber, Conversation.User, UpstreamFailure.From(ex).Reason);
            return null;
        }
    }

    /// <summary>Settles the waiting messages of a bot that was disabled or removed before they were answered.</summary>
    private async Task DropInboxAsync(ConversationSnapshot open, string reason)
    {
        if (open.Inbox.Count == 0)
        {
            return;
        }

        var settled = await store.SettleAsync(_botId, Conversation.UserNumber, [.. open.Inbox.Select(m => m.Id)], MessageStatus.Failed, reason,
            "the bot was removed or disabled before answering");
        LogDropped(_botNumber, Conversation.User, settled, reason);
        metrics.MessagesFailed(_botNumber, settled, reason);
        Waiting(0);
    }

    /// <summary>Sets this activation's share of the inbox backlog gauge to <paramref name="count"/> messages.</summary>
    private void Waiting(int count)
    {
        count = Math.Max(0, count);
        if (count != _waiting)
        {
            metrics.InboxWaiting(_botNumber, count - _waiting);
            _waiting = count;
        }
    }

    /// <summary>
    /// This conversation's bot: the configuration the newest forwarded message carried, else read from its bot grain
    /// once (after a wake, again); null once it was deleted (its number may have another bot since).
    /// </summary>
    private async Task<BotDefinition?> BotAsync() => _botKnown ? _bot : await CurrentBotAsync();

    /// <summary>This conversation's bot as its bot grain has it now (null once deleted), kept as the newest seen.</summary>
    private async Task<BotDefinition?> CurrentBotAsync()
    {
        var current = await GrainFactory.GetGrain<IBotGrain>(_botNumber).GetAsync();
        _bot = current is not null && current.Id == _botId ? current : null;
        _botKnown = true;
        return _bot;
    }

    /// <summary>Something may have changed the table: the pump reads it again (now, or after the round under way).</summary>
    private void Changed()
    {
        _changes++;
        RunPumpIn(TimeSpan.Zero);
    }

    private void RunPumpIn(TimeSpan delay)
    {
        delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
        _pumpDueAt = time.GetUtcNow() + delay;
        _pump.Change(delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The key holds only a pseudonym of the user's number: the number each call names must match it.</summary>
    private void Identify(string userNumber)
    {
        if (_conversation?.UserNumber == userNumber)
        {
            return;
        }

        if (_conversation is not null || ConversationKey.For(_botNumber, _botId, userNumber) != this.GetPrimaryKeyString())
        {
            throw new ArgumentException($"User {PhoneMask.Mask(userNumber)} does not belong to conversation {this.GetPrimaryKeyString()}.", nameof(userNumber));
        }

        _conversation = new ConversationAddress(_botId, _botNumber, userNumber);
    }

    /// <summary>
    /// The first read of an activation that finds work open left by an earlier one (more than the new messages it was
    /// handed, or a reply in flight) says so; an activation made for a new message says nothing more about it.
    /// </summary>
    private void LogResumingOnce(ConversationSnapshot open)
    {
        if (!_resumeLogged)
        {
            _resumeLogged = true;
            if (open.Inbox.Count > _handedBeforeFirstRead || open.Outbox.Count > 0)
            {
                LogResuming(_botNumber, Conversation.User, open.Inbox.Count, open.Outbox.Count);
            }
        }
    }

    /// <summary>
    /// The span of a turn over <paramref name="inbox"/>: the child of the first message's trace, linked to the others'.
    /// A turn without the assistant (a keyword, a hold, a drop) knows its outcome at once; an assistant's turn tags it
    /// when it has one. None when there is nothing in the inbox.
    /// </summary>
    private Activity? StartTurnSpan(IReadOnlyList<PendingInbound> inbox, string? outcome)
    {
        if (inbox.Count == 0)
        {
            return null;
        }

        var span = StartSpan("horizonai.turn", inbox[0].TraceParent, inbox.Skip(1).Select(m => m.TraceParent));
        span?.SetTag(HorizonTracing.MessageSidsTag, inbox.Select(m => m.MessageSid).ToArray());
        span?.SetTag(HorizonTracing.OutcomeTag, outcome); // null sets nothing
        return span;
    }

    /// <summary>A span of this conversation's work, child of the span that wrote the row it takes up (see <see cref="HorizonTracing"/>).</summary>
    private Activity? StartSpan(string name, string? traceParent, IEnumerable<string?>? linked = null)
    {
        var span = HorizonTracing.StartFrom(name, traceParent, linked);
        span?.SetTag(HorizonTracing.BotTag, _botNumber);
        span?.SetTag(HorizonTracing.UserTag, Conversation.User);
        return span;
    }

    /// <summary>Every line about this conversation carries the bot and the masked user as structured properties.</summary>
    private IDisposable? BeginScope() => logger.BeginScope(new Dictionary<string, object>
    {
        ["BotNumber"] = _botNumber,
        ["User"] = _conversation?.User ?? "",
    });
}
