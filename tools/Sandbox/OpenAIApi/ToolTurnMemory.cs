namespace HorizonAI.Sandbox.OpenAIApi;

/// <summary>
/// What a Responses conversation remembers of its current turn between requests: a follow-up carries only function
/// outputs, so the tags are read from the user text that started the turn.
/// </summary>
/// <param name="TurnText">The user text of the request that started the turn.</param>
/// <param name="OutputsSinceUser">Function outputs given in this conversation since that user text.</param>
/// <param name="PendingCalls">The call ids of the last response: the next request must answer every one.</param>
internal sealed record ToolTurnMemory(string TurnText, int OutputsSinceUser, IReadOnlyList<string> PendingCalls)
{
    public static readonly ToolTurnMemory None = new("", 0, []);
}
