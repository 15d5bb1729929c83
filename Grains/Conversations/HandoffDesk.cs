using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Storage;
using HorizonAI.Grains.Webhooks;
using HorizonAI.Storage;
using HorizonAI.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Logging;

namespace HorizonAI.Grains.Conversations;

/// <summary>
/// Human mode. A handoff (an operator's take-over, the user's handoff keyword, or the assistant's <c>request_human</c>
/// call) is committed with the conversation; from then on the user's messages are held, stored and shown but not
/// answered by the assistant, until an operator gives the conversation back or the bot's idle time passes without an
/// operator's message (auto-resume, found again by the recovery sweep after a restart). Held messages stay unanswered
/// unless the operator gives back with <c>answer_held</c>. The business's webhook hears of each handoff once.
/// </summary>
public sealed partial class HandoffDesk(IMessageStore store, DurableWrite writes, HandoffNotifier notifier, HorizonMetrics metrics, TimeProvider time,
    ILogger<HandoffDesk> logger)
{
    /// <summary>An operator takes the conversation (or it stands as it is), or gives it back to the bot.</summary>
    public async Task<ConversationControl> SetModeAsync(ConversationAddress conversation, ConversationModeChange change)
    {
        if (change.Human)
        {
            var now = Now();
            var requested = new HumanMode(now, Handoff.ByAdmin, change.Reason, change.By, now, NoticePending: false);
            var standing = await store.TakeOverAsync(conversation.BotId, conversation.UserNumber, requested);
            if (standing == requested)
            {
                HandedOff(conversation, standing);
            }

            return Control(standing, 0);
        }

        var reopened = await store.ResumeAsync(conversation.BotId, conversation.UserNumber, change.AnswerHeld, idleBefore: null);
        if (reopened is { } count)
        {
            Resumed(conversation, Handoff.ResumedByAdmin, change.By, count);
        }

        return Control(null, reopened ?? 0);
    }

    /// <summary>
    /// In human mode: back to the bot if its idle time has passed (true: read the table again), else the inbox is held.
    /// <paramref name="wakeAt"/> is when the idle time will have passed, if the bot has one.
    /// </summary>
    public async Task<bool> HoldAsync(ConversationAddress conversation, BotDefinition bot, ConversationSnapshot open, Action<DateTimeOffset> wakeAt,
        CancellationToken cancellationToken)
    {
        var human = open.Human!;
        if (bot.AutoResumeMinutes is > 0 and var minutes)
        {
            var idle = TimeSpan.FromMinutes(minutes);
            var now = time.GetUtcNow();
            if (human.OperatorActiveAt + idle <= now)
            {
                // Null: an operator wrote meanwhile, or it was given back; the table says what stands.
                if (await writes.RetryAsync(conversation, () => store.ResumeAsync(conversation.BotId, conversation.UserNumber, answerHeld: false, idleBefore: now - idle),
                    cancellationToken) is not null)
                {
                    Resumed(conversation, Handoff.ResumedByIdleTime, null, 0);
                }

                return true;
            }

            // While this activation lives; after a restart the recovery sweep finds the conversation again.
            wakeAt(human.OperatorActiveAt + idle);
        }

        if (open.Inbox.Count == 0)
        {
            return false;
        }

        var held = await store.SettleAsync(conversation.BotId, conversation.UserNumber, [.. open.Inbox.Select(m => m.Id)], MessageStatus.Held, "human_mode",
            "a person has this conversation");
        LogHeld(conversation.BotNumber, conversation.User, held);
        return true; // look again: more may have come during the write
    }

    /// <summary>Tells the business's webhook of the handoff once (the notifier retries); then it is done, delivered or not.</summary>
    public async Task NotifyAsync(ConversationAddress conversation, BotDefinition? bot, HumanMode handoff, CancellationToken cancellationToken)
    {
        if (bot is not null)
        {
            await notifier.NotifyAsync(bot, conversation.UserNumber, handoff, cancellationToken);
        }

        await writes.RetryAsync(conversation, () => store.HandoffNoticeDoneAsync(conversation.BotId, conversation.UserNumber, handoff.Since), cancellationToken);
    }

    /// <summary>A handoff starting now; its notice is pending when the bot has a webhook to tell.</summary>
    public HumanMode NewHandoff(BotDefinition bot, string trigger, string reason)
    {
        var now = Now();
        return new HumanMode(now, trigger, reason, null, now, NoticePending: bot.HandoffWebhookUrl is not null);
    }

    /// <summary>Logs and counts a handoff that was committed.</summary>
    public void HandedOff(ConversationAddress conversation, HumanMode handoff)
    {
        LogHandoff(conversation.BotNumber, conversation.User, handoff.Trigger, handoff.Reason ?? "", handoff.By);
        metrics.HandoffStarted(conversation.BotNumber, handoff.Trigger);
    }

    private void Resumed(ConversationAddress conversation, string trigger, string? by, int reopened)
    {
        LogResumed(conversation.BotNumber, conversation.User, trigger, by, reopened);
        metrics.HandoffEnded(conversation.BotNumber, trigger);
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

    /// <summary>The time to the microsecond, as PostgreSQL keeps it: a handoff is later found again by its time.</summary>
    private DateTimeOffset Now() => PostgresTime.Now(time);

    [LoggerMessage(EventId = 2027, Level = LogLevel.Information, Message = "Bot {BotNumber}: conversation with {User} handed to a person ({Trigger}: {Reason}; by {By})")]
    private partial void LogHandoff(string botNumber, string user, string trigger, string reason, string? by);

    [LoggerMessage(EventId = 2028, Level = LogLevel.Information, Message = "Bot {BotNumber}: conversation with {User} back to the bot ({Trigger}, by {By}); {Reopened} held message(s) to answer")]
    private partial void LogResumed(string botNumber, string user, string trigger, string? by, int reopened);

    [LoggerMessage(EventId = 2029, Level = LogLevel.Information, Message = "Bot {BotNumber}: {Count} message(s) from {User} held for a person")]
    private partial void LogHeld(string botNumber, string user, int count);
}
