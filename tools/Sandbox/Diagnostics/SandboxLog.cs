namespace HorizonAI.Sandbox.Diagnostics;

/// <summary>The sandbox's log messages. Bodies and texts never appear above Debug.</summary>
internal static partial class SandboxLog
{
    public const string TwilioCategory = "HorizonAI.Sandbox.Twilio";
    public const string OpenAICategory = "HorizonAI.Sandbox.OpenAI";
    public const string ServerCategory = "HorizonAI.Sandbox";

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Sandbox listening on {BaseUrl} (Twilio: {BaseUrl}/2010-04-01, OpenAI: {BaseUrl}/v1, control: {BaseUrl}/_sandbox)")]
    public static partial void Listening(ILogger logger, string baseUrl);

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "Twilio message {Sid} accepted from {From} to {To}")]
    public static partial void MessageAccepted(ILogger logger, string sid, string from, string to);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "Twilio request {Path} answered {Status} with error code {Code}: {Reason}")]
    public static partial void TwilioRejected(ILogger logger, string path, int status, int code, string reason);

    [LoggerMessage(EventId = 12, Level = LogLevel.Debug, Message = "Typing indicator accepted for {MessageId}")]
    public static partial void TypingIndicatorAccepted(ILogger logger, string messageId);

    [LoggerMessage(EventId = 13, Level = LogLevel.Debug, Message = "Status callback {Status} for {Sid} posted to {Url}: HTTP {ResponseStatus}")]
    public static partial void StatusCallbackPosted(ILogger logger, string status, string sid, string url, int responseStatus);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "Status callback {Status} for {Sid} could not be posted to {Url}")]
    public static partial void StatusCallbackFailed(ILogger logger, Exception exception, string status, string sid, string url);

    [LoggerMessage(EventId = 20, Level = LogLevel.Debug, Message = "Conversation {ConversationId} created")]
    public static partial void ConversationCreated(ILogger logger, string conversationId);

    [LoggerMessage(EventId = 21, Level = LogLevel.Debug, Message = "{Api} request answered as {ResponseId} (conversation {ConversationId}, {OutputChars} chars)")]
    public static partial void AssistantAnswered(ILogger logger, string api, string responseId, string? conversationId, int outputChars);

    [LoggerMessage(EventId = 22, Level = LogLevel.Debug, Message = "Responses request refused: a turn is already in flight on conversation {ConversationId}")]
    public static partial void ConversationLocked(ILogger logger, string conversationId);

    [LoggerMessage(EventId = 23, Level = LogLevel.Debug, Message = "OpenAI request {Path} answered {Status}: {Reason}")]
    public static partial void OpenAIRejected(ILogger logger, string path, int status, string reason);

    [LoggerMessage(EventId = 24, Level = LogLevel.Debug, Message = "{Api} request {ResponseId} answered with {Calls} function call(s)")]
    public static partial void FunctionsCalled(ILogger logger, string api, string responseId, int calls);
}
