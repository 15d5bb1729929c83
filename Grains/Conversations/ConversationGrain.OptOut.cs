using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Messaging;
using HorizonAI.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace HorizonAI.Grains.Conversations;

/// <summary>
/// Opt-out: a user who sent a stop keyword gets one confirmation and nothing more from the bot (nor from operators,
/// see <see cref="IMessageStore.AddOperatorPartsAsync"/>) until a start keyword. Messages waiting before the stop
/// keyword are not answered after it; messages of an opted-out user are kept in the transcript as ignored.
/// </summary>
public sealed partial class ConversationGrain
{
    /// <summary>Handles the inbox when it holds a stop keyword or the user has opted out; false when a normal turn should run.</summary>
    private async Task<bool> AnswerOptOutAsync(BotDefinition bot, CancellationToken cancellationToken)
    {
        var optedOut = _open.State.OptedOutAt is not null;
        var keywordAt = _open.Inbox.FindIndex(m => optedOut ? OptOut.IsStart(bot, m.Body) : OptOut.IsStop(bot, m.Body));
        if (!optedOut && keywordAt < 0)
        {
            return false;
        }

        var ignored = _open.Inbox.Take(keywordAt < 0 ? _open.Inbox.Count : keywordAt).ToList();
        if (ignored.Count > 0)
        {
            var ids = ignored.Select(m => m.Id).ToList();
            var settled = await store.SettleAsync(_botId, UserNumber, ids, MessageStatus.Ignored, "opted_out",
                optedOut ? "the user has opted out of this bot's messages" : "sent before the user opted out");
            _open.Inbox.RemoveAll(m => ids.Contains(m.Id));
            metrics.MessagesSettled(_botNumber, settled, null);
            LogOptOutIgnored(_botNumber, _user, settled);
        }

        if (keywordAt < 0)
        {
            return true;
        }

        var keyword = _open.Inbox[0];
        var state = _open.State with { OptedOutAt = optedOut ? null : time.GetUtcNow() };
        var confirmation = ReplyComposer.Text(optedOut ? OptOut.OptInMessage(bot) : OptOut.OptOutMessage(bot));
        var record = new TurnRecord(_botId, UserNumber, [keyword.Id], confirmation, 0, 0, 0, null, null, state);
        var parts = await DurableWrite.RetryAsync(() => store.CommitTurnAsync(record), time, OnWriteRetry, cancellationToken);
        if (parts is null)
        {
            _open.Stale = true; // claimed or erased meanwhile: see what is left
            return true;
        }

        _open.Claimed([keyword], parts, state);
        LogOptOutChanged(_botNumber, _user, optedOut ? "opted in again" : "opted out");
        return true;
    }

    [LoggerMessage(EventId = 2023, Level = LogLevel.Information, Message = "Bot {BotNumber}: {User} {Change}")]
    private partial void LogOptOutChanged(string botNumber, string user, string change);

    [LoggerMessage(EventId = 2024, Level = LogLevel.Information, Message = "Bot {BotNumber}: {Count} message(s) from {User} not answered: opted out")]
    private partial void LogOptOutIgnored(string botNumber, string user, int count);
}
