using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Messaging;
using HorizonAI.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace HorizonAI.Grains.Conversations;

/// <summary>
/// Human mode and the conversation controls. A handoff (an operator's take-over, the user's handoff keyword, or the
/// assistant's <c>request_human</c> call) is committed with the conversation; from then on the user's messages are
/// held, stored and shown but not answered by the assistant, until an operator gives the conversation back or the
/// bot's idle time passes without an operator's message (auto-resume, found again by the recovery sweep after a
/// restart). Held messages stay unanswered unless the operator gives back with <c>answer_held</c>. The reset keyword
/// starts a new assistant conversation and keeps the transcript.
/// </summary>
public sealed partial class ConversationGrain
{
    public async Task<ConversationControl> SetModeAsync(ConversationModeChange change)
    {
        Identify(change.UserNumber);
        using var scope = BeginScope();
        if (change.Human)
        {
            var now = Now();
            var requested = new HumanMode(now, Handoff.ByAdmin, change.Reason, change.By, now, NoticePending: false);
            var standing = await store.TakeOverAsync(_botId, UserNumber, requested);
            _open.ModeChanged(standing);
            if (standing == requested)
            {
                LogHandoff(_botNumber, _user, Handoff.ByAdmin, change.Reason ?? "", change.By);
                metrics.HandoffStarted(_botNumber, Handoff.ByAdmin);
            }

            RunPumpIn(TimeSpan.Zero); // what waits in the inbox is held now
            return Control(standing, 0);
        }

        var reopened = await store.ResumeAsync(_botId, UserNumber, change.AnswerHeld, idleBefore: null);
        if (reopened is { } count)
        {
            Resumed(Handoff.ResumedByAdmin, change.By, count);
        }

        return Control(null, reopened ?? 0);
    }

    private static ConversationControl Control(HumanMode? human, int reopened) => new()
    {
        Mode = human is null ? "bot" : "human",
        HumanSince = human?.Since,
        Trigger = human?.Trigger,
        Reason = human?.Reason,
        By = human?.By,
        Reopened = reopened,
    };

    /// <summary>In human mode: back to the bot if its idle time has passed, else the inbox is held. False: nothing more to do now.</summary>
    private async Task<bool> AnswerHumanModeAsync(BotDefinition bot, CancellationToken cancellationToken)
    {
        var human = _open.State.Human!;
        if (bot.AutoResumeMinutes is > 0 and var minutes)
        {
            var idle = TimeSpan.FromMinutes(minutes);
            var now = time.GetUtcNow();
            if (human.OperatorActiveAt + idle <= now)
            {
                var reopened = await DurableWrite.RetryAsync(() => store.ResumeAsync(_botId, UserNumber, answerHeld: false, idleBefore: now - idle),
                    time, OnWriteRetry, cancellationToken);
                if (reopened is null)
                {
                    _open.Stale = true; // an operator wrote meanwhile, or it was given back: read what stands
                }
                else
                {
                    Resumed(Handoff.ResumedByIdleTime, null, 0);
                }

                return true;
            }

            // While this activation lives; after a restart the recovery sweep finds the conversation again.
            RunPumpIn(human.OperatorActiveAt + idle - now);
        }

        if (_open.Inbox.Count == 0)
        {
            return false;
        }

        var ids = _open.Inbox.Select(m => m.Id).ToList();
        var held = await store.SettleAsync(_botId, UserNumber, ids, MessageStatus.Held, "human_mode", "a person has this conversation");
        _open.Inbox.RemoveAll(m => ids.Contains(m.Id));
        metrics.MessagesSettled(_botNumber, held, null);
        LogHeld(_botNumber, _user, held);
        return true; // look again: more may have come during the write
    }

    private static bool IsControlKeyword(BotDefinition bot, string body) => Handoff.IsRequest(bot, body) || Handoff.IsReset(bot, body);

    /// <summary>
    /// The first message of the inbox is a handoff keyword (it and what came before it passed to a person, the handoff
    /// message in answer) or the reset keyword (a new assistant conversation, the reset message in answer); false when
    /// it is neither.
    /// </summary>
    private async Task<bool> AnswerControlKeywordAsync(BotDefinition bot, CancellationToken cancellationToken)
    {
        var keyword = _open.Inbox[0];
        HumanMode? handoff = null;
        ConversationState state;
        IReadOnlyList<ReplyPart> answer;
        if (Handoff.IsRequest(bot, keyword.Body))
        {
            handoff = NewHandoff(bot, Handoff.ByKeyword, $"the user wrote \"{keyword.Body.Trim()}\"", by: null);
            state = _open.State with { Human = handoff };
            answer = ReplyComposer.Text(Handoff.HandoffMessage(bot));
        }
        else if (Handoff.IsReset(bot, keyword.Body))
        {
            state = new ConversationState(null, []) { OptedOutAt = _open.State.OptedOutAt };
            answer = ReplyComposer.Text(Handoff.ResetMessage(bot));
        }
        else
        {
            return false;
        }

        var record = new TurnRecord(_botId, UserNumber, [keyword.Id], answer, 0, 0, 0, null, null, state) { Handoff = handoff, BotModeOnly = true };
        var parts = await DurableWrite.RetryAsync(() => store.CommitTurnAsync(record), time, OnWriteRetry, cancellationToken);
        if (parts is null)
        {
            _open.Stale = true; // claimed, erased or taken over meanwhile: see what is left
            return true;
        }

        _open.Claimed([keyword], parts, state);
        if (handoff is not null)
        {
            HandedOff(handoff);
        }
        else
        {
            LogReset(_botNumber, _user);
        }

        return true;
    }

    /// <summary>The time to the microsecond, as PostgreSQL keeps it: a handoff is later found again by its time.</summary>
    private DateTimeOffset Now() => PostgresTime.Now(time);

    private HumanMode NewHandoff(BotDefinition bot, string trigger, string reason, string? by)
    {
        var now = Now();
        return new HumanMode(now, trigger, reason, by, now, NoticePending: bot.HandoffWebhookUrl is not null);
    }

    private void HandedOff(HumanMode handoff)
    {
        LogHandoff(_botNumber, _user, handoff.Trigger, handoff.Reason ?? "", handoff.By);
        metrics.HandoffStarted(_botNumber, handoff.Trigger);
    }

    private void Resumed(string trigger, string? by, int reopened)
    {
        _open.ModeChanged(null);
        _open.Stale |= reopened > 0; // the held messages are back in the inbox
        LogResumed(_botNumber, _user, trigger, by, reopened);
        metrics.HandoffEnded(_botNumber, trigger);
        RunPumpIn(TimeSpan.Zero);
    }

    /// <summary>Tells the business's webhook of the handoff once (the notifier retries); then it is done, delivered or not.</summary>
    private async Task NotifyHandoffAsync(HumanMode handoff, CancellationToken cancellationToken)
    {
        var bot = await CurrentBotAsync();
        if (bot is not null)
        {
            await notifier.NotifyAsync(bot, UserNumber, handoff, cancellationToken);
        }

        await DurableWrite.RetryAsync(async () =>
        {
            await store.HandoffNoticeDoneAsync(_botId, UserNumber, handoff.Since);
            return true;
        }, time, OnWriteRetry, cancellationToken);
        if (_open.State.Human?.Since == handoff.Since)
        {
            _open.ModeChanged(_open.State.Human with { NoticePending = false });
        }
    }

    [LoggerMessage(EventId = 2027, Level = LogLevel.Information, Message = "Bot {BotNumber}: conversation with {User} handed to a person ({Trigger}: {Reason}; by {By})")]
    private partial void LogHandoff(string botNumber, string user, string trigger, string reason, string? by);

    [LoggerMessage(EventId = 2028, Level = LogLevel.Information, Message = "Bot {BotNumber}: conversation with {User} back to the bot ({Trigger}, by {By}); {Reopened} held message(s) to answer")]
    private partial void LogResumed(string botNumber, string user, string trigger, string? by, int reopened);

    [LoggerMessage(EventId = 2029, Level = LogLevel.Information, Message = "Bot {BotNumber}: {Count} message(s) from {User} held for a person")]
    private partial void LogHeld(string botNumber, string user, int count);
}
