using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Messaging;
using HorizonAI.Grains.Storage;
using HorizonAI.Storage;
using HorizonAI.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Logging;

namespace HorizonAI.Grains.Conversations;

/// <summary>
/// Opt-out: a user who sent a stop keyword gets one confirmation and nothing more from the bot (nor from operators,
/// see <see cref="IMessageStore.AddOutboundAsync"/>) until a start keyword. Messages waiting before the stop keyword
/// are not answered after it; messages of an opted-out user are kept in the transcript as ignored.
/// </summary>
public sealed partial class OptOutRule(IMessageStore store, DurableWrite writes, TimeProvider time, ILogger<OptOutRule> logger)
{
    /// <summary>Whether this rule has the inbox: it holds a stop keyword, or the user has opted out.</summary>
    public static bool Applies(BotDefinition bot, ConversationSnapshot open) =>
        open.Inbox.Count > 0 && (open.OptedOutAt is not null || open.Inbox.Any(m => OptOut.IsStop(bot, m.Body)));

    /// <summary>
    /// Answers a stop keyword (or a start keyword, for a user who opted out) and ignores what was written before it, or
    /// all an opted-out user wrote; returns the parts to send now (the confirmation, if its send was claimed).
    /// </summary>
    public async Task<IReadOnlyList<PendingPart>> AnswerAsync(ConversationAddress conversation, BotDefinition bot, ConversationSnapshot open,
        CancellationToken cancellationToken)
    {
        var optedOut = open.OptedOutAt is not null;
        var keywordAt = open.Inbox.ToList().FindIndex(m => optedOut ? OptOut.IsStart(bot, m.Body) : OptOut.IsStop(bot, m.Body));

        var ignored = open.Inbox.Take(keywordAt < 0 ? open.Inbox.Count : keywordAt).Select(m => m.Id).ToList();
        if (ignored.Count > 0)
        {
            var settled = await store.SettleAsync(conversation.BotId, conversation.UserNumber, ignored, MessageStatus.Ignored, "opted_out",
                optedOut ? "the user has opted out of this bot's messages" : "sent before the user opted out");
            LogOptOutIgnored(conversation.BotNumber, conversation.User, settled);
        }

        if (keywordAt < 0)
        {
            return [];
        }

        var keyword = open.Inbox[keywordAt];
        var state = open.State() with { OptedOutAt = optedOut ? null : time.GetUtcNow() };
        var confirmation = ReplyComposer.Text(optedOut ? OptOut.OptInMessage(bot) : OptOut.OptOutMessage(bot));
        var record = new TurnRecord(conversation.BotId, conversation.UserNumber, [keyword.Id], confirmation, 0, 0, 0, null, null, state)
        {
            TraceParent = System.Diagnostics.Activity.Current?.Id ?? keyword.TraceParent,
        };
        var parts = await writes.RetryAsync(conversation, () => store.CommitTurnAsync(record), cancellationToken);
        if (parts is not null)
        {
            LogOptOutChanged(conversation.BotNumber, conversation.User, optedOut ? "opted in again" : "opted out");
        }

        return parts ?? []; // null: claimed or erased meanwhile, and the table is read again
    }

    [LoggerMessage(EventId = 2023, Level = LogLevel.Information, Message = "Bot {BotNumber}: {User} {Change}")]
    private partial void LogOptOutChanged(string botNumber, string user, string change);

    [LoggerMessage(EventId = 2024, Level = LogLevel.Information, Message = "Bot {BotNumber}: {Count} message(s) from {User} not answered: opted out")]
    private partial void LogOptOutIgnored(string botNumber, string user, int count);
}
