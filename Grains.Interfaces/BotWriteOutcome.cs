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
}
