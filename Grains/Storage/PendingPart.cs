namespace HorizonAI.Grains.Storage;

/// <summary>One part of a turn's reply, stored by the turn and not yet sent: a row of the outbox.</summary>
/// <param name="MediaUrl">The media the message carries (its body is then the caption), or null.</param>
/// <param name="SentBy">Who sent it, for an operator's message (which answers no inbound message); null for the bot's reply.</param>
/// <param name="ContentSid">An approved template's Content SID (the body then only describes it in the transcript), or null for free text.</param>
/// <param name="ContentVariables">The template's variables as Twilio takes them, a JSON object string such as <c>{"1":"Ana"}</c>.</param>
/// <param name="TraceParent">The traceparent of the span that wrote it (its turn): its send continues that trace, also after a crash.</param>
public sealed record PendingPart(long Id, string Body, string? MediaUrl = null, string? SentBy = null, string? ContentSid = null, string? ContentVariables = null,
    string? TraceParent = null);
