using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Grains.Assistants;

/// <param name="UserMessages">Every message of the user that this turn answers, oldest first.</param>
/// <param name="History">Earlier turns, for assistants that do not keep history upstream (oldest first).</param>
public sealed record AssistantRequest(BotDefinition Bot, string? ConversationId, IReadOnlyList<string> UserMessages, IReadOnlyList<HistoryTurn> History);
