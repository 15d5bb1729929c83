namespace HorizonAI.Grains.Interfaces;

[GenerateSerializer, Alias("horizonai.bot-write-outcome")]
public enum BotWriteOutcome
{
    Created,
    Updated,
    AlreadyExists,
    NotFound,

    /// <summary>The bot's id is another bot's, or was another number's: a restore cannot take another client's data.</summary>
    IdConflict,

    /// <summary>The bot changed since the version the writer read (<see cref="BotWriteConditions.IfVersion"/>).</summary>
    Changed,

    /// <summary>The writer may not change <c>enabled</c>, <c>metadata</c> or <c>vector_store_ids</c>, and the save would have.</summary>
    AgencyFields,

    /// <summary>One of the bot's <c>vector_store_ids</c> is another bot's: a bot never searches another client's documents.</summary>
    VectorStoreTaken,
}
