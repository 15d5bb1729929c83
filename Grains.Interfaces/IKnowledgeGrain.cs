namespace HorizonAI.Grains.Interfaces;

/// <summary>
/// The upstream index of one bot's knowledge (keyed by the bot's id): its OpenAI vector store and the files in it,
/// kept in step with the <c>knowledge_documents</c> table. The table says what is to be done (documents
/// <c>processing</c>, documents deleted); the grain does it, and a sweep wakes it after a crash. Every call returns
/// once the work is recorded or started, never after a wait on OpenAI's indexing.
/// </summary>
[Alias("horizonai.knowledge")]
public interface IKnowledgeGrain : IGrainWithStringKey
{
    /// <summary>Documents were added or deleted: index or remove what the table says is due.</summary>
    [Alias("wake")]
    Task WakeAsync();

    /// <summary>Rebuilds the bot's index from the stored documents: a new vector store, every document uploaded again.</summary>
    [Alias("reindex")]
    Task ReindexAsync();

    /// <summary>The bot is deleted with <c>?purge=true</c>: its vector store and files upstream go, and its documents.</summary>
    [Alias("purge")]
    Task PurgeAsync();
}
