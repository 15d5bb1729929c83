using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Tools;

namespace HorizonAI.Grains.Assistants;

/// <param name="UserMessages">Every message of the user that this turn answers, oldest first, as the assistant reads it.</param>
/// <param name="History">Earlier turns, for assistants that do not keep history upstream (oldest first).</param>
public sealed record AssistantRequest(BotDefinition Bot, string? ConversationId, IReadOnlyList<UserInput> UserMessages, IReadOnlyList<HistoryTurn> History)
{
    /// <summary>
    /// The assistant's earlier <c>request_human</c> call, still unanswered in its conversation: this turn answers it
    /// first (a conversation with an unanswered function call takes no new input).
    /// </summary>
    public string? PendingCallId { get; init; }

    /// <summary>The business's tools of this turn, run by the platform when the model calls them; null: none.</summary>
    public TurnTools? Tools { get; init; }

    /// <summary>The vector stores OpenAI's hosted <c>file_search</c> searches in this turn (Responses API); empty: none.</summary>
    public IReadOnlyList<string> FileSearchStores { get; init; } = [];
}
