namespace HorizonAI.Sandbox.Control;

/// <summary>The conversation bookkeeping and rejection counters of <see cref="SandboxState"/>, as JSON.</summary>
internal sealed record SandboxCounters(
    IReadOnlyList<string> Conversations,
    int ConversationLockedCount,
    int MaxConcurrentTurnsPerConversation,
    int OpenAIRejectedCount,
    int TwilioRejectedCount)
{
    public static SandboxCounters From(SandboxState state) => new(
        state.Conversations,
        state.ConversationLockedCount,
        state.MaxConcurrentTurnsPerConversation,
        state.OpenAIRejectedCount,
        state.TwilioRejectedCount);
}
