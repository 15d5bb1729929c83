namespace HorizonAI.Sandbox;

/// <summary>A typing indicator accepted on <c>POST /v2/Indicators/Typing.json</c> (messaging.twilio.com).</summary>
/// <param name="MessageId">Form field <c>messageId</c>: the inbound message SID being answered.</param>
/// <param name="Channel">Form field <c>channel</c>; Twilio supports only <c>whatsapp</c>.</param>
/// <param name="ReceivedAt">When the sandbox accepted it (after any injected latency).</param>
public sealed record TypingIndicator(string MessageId, string Channel, DateTimeOffset ReceivedAt);
