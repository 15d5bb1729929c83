using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Messaging;
using HorizonAI.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace HorizonAI.Grains.Conversations;

/// <summary>
/// Messages of the business (operators, the API, campaigns): committed as pending outbound rows naming who sent them,
/// behind what the outbox holds, so the pump delivers them after the reply in flight, never inside it. None is written
/// for a user who opted out, nor free text once the 24-hour window has closed (the store checks both in the same
/// statement); an operator's free text then becomes the bot's re-engagement template, if it has one. Each row keeps
/// the trace of the request that sent it, so its send continues that trace.
/// </summary>
public sealed partial class OperatorMessages(IMessageStore store, ILogger<OperatorMessages> logger)
{
    public async Task<OutboundOutcome> SendAsync(ConversationAddress conversation, OperatorMessage message, Func<Task<BotDefinition?>> bot)
    {
        var result = await store.AddOutboundAsync(conversation.BotId, conversation.UserNumber,
            new OutboundRequest(ReplyComposer.ComposeOperatorMessage(message.Text, message.MediaUrl), message.SentBy) { TraceParent = Activity.Current?.Id });
        if (result.Refusal == OutboundResult.OutsideWindow && await bot() is { ReengagementTemplate: { } name } current && current.Template(name) is { } template)
        {
            LogReengaging(conversation.BotNumber, message.SentBy, conversation.User, template.Name);
            var reengaged = await QueueTemplateAsync(conversation, template, [], message.SentBy, campaign: null);
            return reengaged with { SentAsTemplate = reengaged.Refusal is null ? template.Name : null };
        }

        return Queued(conversation, result, message.SentBy);
    }

    public Task<OutboundOutcome> SendTemplateAsync(ConversationAddress conversation, TemplateMessage message) =>
        QueueTemplateAsync(conversation, message.Template, message.Values, message.SentBy, message.CampaignId is { } campaignId ? (campaignId, message.Position) : null);

    /// <summary>A template's row: its Content SID and variables for Twilio, and a line that says what was sent for the transcript.</summary>
    private async Task<OutboundOutcome> QueueTemplateAsync(ConversationAddress conversation, MessageTemplate template, string[] values, string sentBy,
        (string Id, int Position)? campaign)
    {
        var variables = JsonSerializer.Serialize(values.Select((value, i) => (Key: (i + 1).ToString(CultureInfo.InvariantCulture), value))
            .ToDictionary(v => v.Key, v => v.value));
        var shown = values.Length == 0 ? $"[template {template.Name}]" : $"[template {template.Name}] {string.Join(" · ", values)}";
        var result = await store.AddOutboundAsync(conversation.BotId, conversation.UserNumber, new OutboundRequest([new ReplyPart(shown)], sentBy)
        {
            ContentSid = template.ContentSid,
            ContentVariables = variables,
            Campaign = campaign,
            TraceParent = Activity.Current?.Id,
        });
        return Queued(conversation, result, sentBy);
    }

    private OutboundOutcome Queued(ConversationAddress conversation, OutboundResult result, string sentBy)
    {
        if (result.Refusal is { } refusal)
        {
            LogOutboundRefused(conversation.BotNumber, sentBy, conversation.User, refusal);
            return new OutboundOutcome { Refusal = refusal, LastInboundAt = result.LastInboundAt };
        }

        LogOperatorQueued(conversation.BotNumber, sentBy, conversation.User, result.Parts.Count);
        return new OutboundOutcome { Ids = [.. result.Parts.Select(p => p.Id)], LastInboundAt = result.LastInboundAt };
    }

    [LoggerMessage(EventId = 2021, Level = LogLevel.Information, Message = "Bot {BotNumber}: operator {SentBy} queued a message for {User} in {Parts} part(s)")]
    private partial void LogOperatorQueued(string botNumber, string sentBy, string user, int parts);

    [LoggerMessage(EventId = 2025, Level = LogLevel.Information, Message = "Bot {BotNumber}: message of {SentBy} not sent to {User}: {Refusal}")]
    private partial void LogOutboundRefused(string botNumber, string sentBy, string user, string refusal);

    [LoggerMessage(EventId = 2040, Level = LogLevel.Information, Message = "Bot {BotNumber}: the window with {User} has closed; {SentBy}'s message goes as template {Template}")]
    private partial void LogReengaging(string botNumber, string sentBy, string user, string template);
}
