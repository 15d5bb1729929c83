namespace HorizonAI.Grains.Storage;

/// <summary>What inserting a bot found.</summary>
public enum BotInsertOutcome
{
    Inserted,

    /// <summary>The number has a bot already.</summary>
    NumberTaken,

    /// <summary>The id is a live bot's, or was given to another number.</summary>
    IdTaken,

    /// <summary>One of its <c>vector_store_ids</c> is another bot's.</summary>
    VectorStoreTaken,
}
