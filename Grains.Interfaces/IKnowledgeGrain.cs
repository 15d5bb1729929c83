using Orleans.Concurrency;

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
    /// <summary>
    /// Documents were added or deleted: index or remove what the table says is due. Never waits behind the grain's
    /// work in progress (it only asks for another look at the table).
    /// </summary>
    [AlwaysInterleave, Alias("wake")]
    Task WakeAsync();

    /// <summary>Rebuilds the bot's index from the stored documents: a new vector store, every document uploaded again.</summary>
    [Alias("reindex")]
    Task ReindexAsync();

    /// <summary>
    /// A turn found the bot's vector store <paramref name="vectorStoreId"/> gone upstream (a 404): it is marked lost
    /// (<c>knowledge_stores.lost_at</c>, turns leave it out) until a reindex rebuilds it. A store that is not the
    /// bot's current one, or is marked already, changes nothing.
    /// </summary>
    [AlwaysInterleave, Alias("store-lost")]
    Task StoreLostAsync(string vectorStoreId);

    /// <summary>The bot is deleted with <c>?purge=true</c>: its vector store and files upstream go, and its documents.</summary>
    [Alias("purge")]
    Task PurgeAsync();
}
