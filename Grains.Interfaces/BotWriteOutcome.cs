namespace HorizonAI.Grains.Interfaces;

[GenerateSerializer, Alias("horizonai.bot-write-outcome")]
public enum BotWriteOutcome
{
    Created,
    Updated,
    AlreadyExists,
    NotFound,
}
