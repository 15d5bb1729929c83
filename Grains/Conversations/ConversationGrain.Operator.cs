using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Messaging;
using Microsoft.Extensions.Logging;

namespace HorizonAI.Grains.Conversations;

/// <summary>
/// Operator messages: committed as pending outbound rows naming who sent them and queued behind what the outbox
/// holds, so the pump delivers them after the reply in flight, never inside it. None is written for a user who
/// opted out (the store checks it in the same statement).
/// </summary>
public sealed partial class ConversationGrain
{
    public async Task<long[]> SendOperatorMessageAsync(OperatorMessage message)
    {
        Identify(message.UserNumber);
        using var scope = BeginScope();
        var parts = await store.AddOperatorPartsAsync(_botNumber, UserNumber, ReplyComposer.ComposeOperatorMessage(message.Text, message.MediaUrl), message.SentBy);
        if (parts.Count == 0)
        {
            LogOperatorRefused(_botNumber, message.SentBy, _user);
            return [];
        }

        _open.Queued(parts);
        if (_open.State.Human is { } human)
        {
            _open.ModeChanged(human with { OperatorActiveAt = Now() }); // as the store wrote it: the idle time starts again
        }

        RunPumpIn(TimeSpan.Zero);
        LogOperatorQueued(_botNumber, message.SentBy, _user, parts.Count);
        return [.. parts.Select(p => p.Id)];
    }

    [LoggerMessage(EventId = 2025, Level = LogLevel.Information, Message = "Bot {BotNumber}: operator {SentBy} not sent to {User}: opted out")]
    private partial void LogOperatorRefused(string botNumber, string sentBy, string user);
}
