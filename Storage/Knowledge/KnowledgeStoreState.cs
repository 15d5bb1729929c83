namespace HorizonAI.Storage.Knowledge;

/// <summary>A bot's upstream vector store as last seen (<c>knowledge_stores</c>).</summary>
/// <param name="VectorStoreId">Null until the bot's first document is indexed.</param>
/// <param name="LostAt">When the store was found gone upstream (a reindex rebuilds it), with <paramref name="Error"/>.</param>
public sealed record KnowledgeStoreState(string? VectorStoreId, long UsageBytes, DateTimeOffset? LostAt, string? Error, DateTimeOffset UpdatedAt);
