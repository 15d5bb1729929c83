namespace HorizonAI.Storage.Knowledge;

/// <summary>
/// Each bot's documents in PostgreSQL (<c>knowledge_documents</c>, <c>knowledge_chunks</c>, <c>knowledge_stores</c>),
/// keyed by the bot's id. A document is searched only for its own bot; the indexing grain reads what is due
/// (<c>next_attempt_at</c>) and keeps the upstream store in step.
/// </summary>
public interface IKnowledgeStore
{
    /// <summary>
    /// Stores the document (status processing, due now) with its chunks in one transaction; null when the bot already
    /// has <paramref name="maxDocuments"/> documents.
    /// </summary>
    Task<KnowledgeDocument?> AddAsync(NewKnowledgeDocument document, int maxDocuments, CancellationToken cancellationToken = default);

    /// <summary>The bot's documents, newest first (deleted ones never), and its upstream store.</summary>
    Task<KnowledgePage> ListAsync(string botId, int offset, int limit, CancellationToken cancellationToken = default);

    /// <summary>One of the bot's documents with its <see cref="KnowledgeDocument.TextPreview"/>; null when it is not the bot's or was deleted.</summary>
    Task<KnowledgeDocument?> GetAsync(string botId, string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks the document deleted and removes its chunks (never searched again); due now, so the indexing grain removes
    /// it upstream and then the row. False when it is not the bot's or was already deleted.
    /// </summary>
    Task<bool> DeleteAsync(string botId, string id, CancellationToken cancellationToken = default);
}
