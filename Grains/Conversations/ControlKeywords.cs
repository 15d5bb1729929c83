using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Messaging;
using HorizonAI.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace HorizonAI.Grains.Conversations;

/// <summary>
/// The user's control words: the handoff keyword passes the conversation to a person (with the bot's handoff message
/// in answer), the reset keyword starts a new assistant conversation (with the reset message) and keeps the transcript.
/// Messages before such a keyword get their turn first, without waiting for more.
/// </summary>
public sealed partial class ControlKeywords(IMessageStore store, DurableWrite writes, HandoffDesk handoffs, ILogger<ControlKeywords> logger)
{
    public static bool IsKeyword(BotDefinition bot, string body) => Handoff.IsRequest(bot, body) || Handoff.IsReset(bot, body);

    /// <summary>Whether this rule has the inbox: its first message is a control keyword.</summary>
    public static bool Applies(BotDefinition bot, ConversationSnapshot open) => open.Inbox.Count > 0 && IsKeyword(bot, open.Inbox[0].Body);

    /// <summary>Answers the first message of the inbox, a control keyword; returns the parts to send now.</summary>
    public async Task<IReadOnlyList<PendingPart>> AnswerAsync(ConversationAddress conversation, BotDefinition bot, ConversationSnapshot open,
        CancellationToken cancellationToken)
    {
        var keyword = open.Inbox[0];
        HumanMode? handoff = null;
        ConversationState state;
        IReadOnlyList<ReplyPart> answer;
        if (Handoff.IsRequest(bot, keyword.Body))
        {
            handoff = handoffs.NewHandoff(bot, Handoff.ByKeyword, $"the user wrote \"{keyword.Body.Trim()}\"");
            state = open.State() with { Human = handoff };
            answer = ReplyComposer.Text(Handoff.HandoffMessage(bot));
        }
        else
        {
            state = new ConversationState(null, []) { OptedOutAt = open.OptedOutAt };
            answer = ReplyComposer.Text(Handoff.ResetMessage(bot));
        }

        var record = new TurnRecord(conversation.BotId, conversation.UserNumber, [keyword.Id], answer, 0, 0, 0, null, null, state)
        {
            Handoff = handoff,
            BotModeOnly = true,
            TraceParent = System.Diagnostics.Activity.Current?.Id ?? keyword.TraceParent,
        };
        var parts = await writes.RetryAsync(conversation, () => store.CommitTurnAsync(record), cancellationToken);
        if (parts is null)
        {
            return []; // claimed, erased or taken over meanwhile: the table is read again
        }

        if (handoff is not null)
        {
            handoffs.HandedOff(conversation, handoff);
        }
        else
        {
            LogReset(conversation.BotNumber, conversation.User);
        }

        return parts;
    }

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "Bot {BotNumber}: conversation with {User} reset")]
    private partial void LogReset(string botNumber, string user);
}
