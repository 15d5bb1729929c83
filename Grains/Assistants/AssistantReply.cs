namespace HorizonAI.Grains.Assistants;

public sealed record AssistantReply(string Text, int InputTokens, int OutputTokens, int CachedTokens)
{
    /// <summary>Set when the assistant called <c>request_human</c>: the reason it gave (never empty).</summary>
    public string? HandoffReason { get; init; }

    /// <summary>The id of that call, which the conversation's next turn answers (Responses API only).</summary>
    public string? HandoffCallId { get; init; }
}
