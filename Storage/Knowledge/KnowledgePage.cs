namespace HorizonAI.Storage.Knowledge;

/// <summary>A page of a bot's documents, newest first, with the count of them all and the bot's upstream store (null before its first).</summary>
public sealed record KnowledgePage(IReadOnlyList<KnowledgeDocument> Items, int Total, KnowledgeStoreState? Store);
