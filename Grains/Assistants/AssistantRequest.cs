using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Grains.Assistants;

/// <param name="UserMessages">Every message of the user that this turn answers, oldest first.</param>
public sealed record AssistantRequest(BotDefinition Bot, string? ConversationId, IReadOnlyList<string> UserMessages);
