namespace HorizonAI.Grains.Storage;

/// <summary>What updating a bot found.</summary>
public enum BotUpdateOutcome
{
    Updated,

    /// <summary>The number has no bot.</summary>
    NotFound,

    /// <summary>One of its <c>vector_store_ids</c> is another bot's.</summary>
    VectorStoreTaken,
}
