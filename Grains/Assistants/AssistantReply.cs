namespace HorizonAI.Grains.Assistants;

public sealed record AssistantReply(string Text, int InputTokens, int OutputTokens, int CachedTokens);
