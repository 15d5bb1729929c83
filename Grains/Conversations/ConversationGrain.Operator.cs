using System.Text.Json;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Messaging;
using HorizonAI.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace HorizonAI.Grains.Conversations;

/// <summary>
/// Messages of the business (operators, the API, campaigns): committed as pending outbound rows naming who sent them
/// and queued behind what the outbox holds, so the pump delivers them after the reply in flight, never inside it.
/// None is written for a user who opted out, nor free text once the 24-hour window has closed (the store checks both
/// in the same statement); an operator's free text then becomes the bot's re-engagement template, if it has one.
/// </summary>
public sealed partial class ConversationGrain
{
    public async Task<OutboundOutcome> SendOperatorMessageAsync(OperatorMessage message)
    {
        Identify(message.UserNumber);
        using var scope = BeginScope();
        var result = await store.AddOutboundAsync(_botId, UserNumber,
            new OutboundRequest(ReplyComposer.ComposeOperatorMessage(message.Text, message.MediaUrl), message.SentBy));
        if (result.Refusal == OutboundResult.OutsideWindow
            && await CurrentBotAsync() is { ReengagementTemplate: { } name } bot && bot.Template(name) is { } template)
        {
            LogReengaging(_botNumber, message.SentBy, _user, template.Name);
            var reengaged = await QueueTemplateAsync(template, [], message.SentBy, campaign: null);
            return reengaged with { SentAsTemplate = reengaged.Refusal is null ? template.Name : null };
        }

        return Queued(result, message.SentBy, byOperator: true);
    }

    public async Task<OutboundOutcome> SendTemplateAsync(TemplateMessage message)
    {
        Identify(message.UserNumber);
        using var scope = BeginScope();
        return await QueueTemplateAsync(message.Template, message.Values, message.SentBy,
            message.CampaignId is { } campaignId ? (campaignId, message.Position) : null);
    }

    /// <summary>A template's row: its Content SID and variables for Twilio, and a line that says what was sent for the transcript.</summary>
    private async Task<OutboundOutcome> QueueTemplateAsync(MessageTemplate template, string[] values, string sentBy, (string Id, int Position)? campaign)
    {
        var variables = JsonSerializer.Serialize(values.Select((value, i) => (Key: (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), value))
            .ToDictionary(v => v.Key, v => v.value));
        var shown = values.Length == 0 ? $"[template {template.Name}]" : $"[template {template.Name}] {string.Join(" · ", values)}";
        var result = await store.AddOutboundAsync(_botId, UserNumber, new OutboundRequest([new ReplyPart(shown)], sentBy)
        {
            ContentSid = template.ContentSid,
            ContentVariables = variables,
            Campaign = campaign,
        });
        return Queued(result, sentBy, byOperator: campaign is null);
    }

    private OutboundOutcome Queued(OutboundResult result, string sentBy, bool byOperator)
    {
        if (result.Refusal is { } refusal)
        {
            LogOutboundRefused(_botNumber, sentBy, _user, refusal);
            return new OutboundOutcome { Refusal = refusal, LastInboundAt = result.LastInboundAt };
        }

        _open.Queued(result.Parts);
        if (_open.State.Human is { } human && byOperator)
        {
            _open.ModeChanged(human with { OperatorActiveAt = Now() }); // as the store wrote it: the idle time starts again
        }

        RunPumpIn(TimeSpan.Zero);
        LogOperatorQueued(_botNumber, sentBy, _user, result.Parts.Count);
        return new OutboundOutcome { Ids = [.. result.Parts.Select(p => p.Id)], LastInboundAt = result.LastInboundAt };
    }

    [LoggerMessage(EventId = 2025, Level = LogLevel.Information, Message = "Bot {BotNumber}: message of {SentBy} not sent to {User}: {Refusal}")]
    private partial void LogOutboundRefused(string botNumber, string sentBy, string user, string refusal);

    [LoggerMessage(EventId = 2040, Level = LogLevel.Information, Message = "Bot {BotNumber}: the window with {User} has closed; {SentBy}'s message goes as template {Template}")]
    private partial void LogReengaging(string botNumber, string sentBy, string user, string template);
}
