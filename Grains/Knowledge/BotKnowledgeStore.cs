namespace HorizonAI.Grains.Knowledge;

/// <summary>A bot's row in <c>knowledge_stores</c>: its vector store, if one was made, and whether it was found gone.</summary>
public sealed record BotKnowledgeStore(string? VectorStoreId, DateTimeOffset? LostAt);
