namespace HorizonAI.Grains.Storage;

/// <summary>What an erasure took: how many messages, and the OpenAI conversation the erased state named (null when none).</summary>
public sealed record ErasedConversation(int Messages, string? AssistantConversationId);
