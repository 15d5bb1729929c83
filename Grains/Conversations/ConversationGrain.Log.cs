using Microsoft.Extensions.Logging;

namespace HorizonAI.Grains.Conversations;

/// <summary>The conversation grain's log lines: each names the bot's number and the masked user.</summary>
public sealed partial class ConversationGrain
{
    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Bot {BotNumber}: disabled, message {MessageSid} from {User} recorded without reply")]
    private partial void LogDisabled(string botNumber, string messageSid, string user);

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Bot {BotNumber}: accepted message {MessageSid} from {User}")]
    private partial void LogAccepted(string botNumber, string messageSid, string user);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Bot {BotNumber}: message {MessageSid} from {User} was already accepted; ignoring the retry")]
    private partial void LogDuplicate(string botNumber, string messageSid, string user);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Bot {BotNumber}: reply part to {User} accepted by Twilio as {TwilioSid} ({Remaining} more to send)")]
    private partial void LogSent(string botNumber, string user, string twilioSid, int remaining);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "Bot {BotNumber}: reply to {User} not sent ({Code}: {Reason})")]
    private partial void LogSendFailed(Exception exception, string botNumber, string user, string code, string reason);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Bot {BotNumber}: dropped {Count} pending message(s) from {User} ({Reason})")]
    private partial void LogDropped(string botNumber, string user, int count, string reason);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "Bot {BotNumber}: conversation with {User} reset")]
    private partial void LogReset(string botNumber, string user);

    [LoggerMessage(EventId = 2016, Level = LogLevel.Warning, Message = "Bot {BotNumber}: the OpenAI conversation {ConversationId} of {User}, whose conversation was erased, could not be deleted ({Error}); delete it by hand")]
    private partial void LogForgetFailed(string botNumber, string user, string conversationId, string error);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information, Message = "Bot {BotNumber}: resuming conversation with {User}: {Messages} message(s) and {Parts} reply part(s) open")]
    private partial void LogResuming(string botNumber, string user, int messages, int parts);


    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "Bot {BotNumber}: work on the conversation with {User} was interrupted; resuming in {DelaySeconds} s")]
    private partial void LogPumpRetry(Exception exception, string botNumber, string user, double delaySeconds);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Warning, Message = "Bot {BotNumber}: a turn over {Count} message(s) from {User} was not stored: they were claimed or erased meanwhile")]
    private partial void LogTurnDiscarded(string botNumber, string user, int count);


    [LoggerMessage(EventId = 2041, Level = LogLevel.Information, Message = "Bot {BotNumber}: the part left pending for {User} had reached Twilio as {Sid}; recorded, not sent again")]
    private partial void LogFoundUnrecorded(string botNumber, string user, string sid);

    [LoggerMessage(EventId = 2042, Level = LogLevel.Warning, Message = "Bot {BotNumber}: Twilio's message list for {User} could not be read ({Reason}); the part left pending is sent")]
    private partial void LogListFailed(string botNumber, string user, string reason);
}
