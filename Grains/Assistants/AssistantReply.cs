namespace HorizonAI.Grains.Assistants;

public sealed record AssistantReply(string Text, int InputTokens, int OutputTokens, int CachedTokens)
{
    /// <summary>Set when the assistant called <c>request_human</c>: the reason it gave (never empty).</summary>
    public string? HandoffReason { get; init; }

    /// <summary>The id of that call, which the conversation's next turn answers (Responses API only).</summary>
    public string? HandoffCallId { get; init; }

    /// <summary>OpenAI's hosted <c>file_search</c> calls the turn made (Responses API).</summary>
    public int FileSearches { get; init; }

    /// <summary>The files the answer cited (<c>file_citation</c> annotations): their OpenAI id and name.</summary>
    public IReadOnlyList<(string FileId, string? FileName)> CitedFiles { get; init; } = [];
}
