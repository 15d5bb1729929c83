namespace HorizonAI.Grains.Interfaces;

[GenerateSerializer, Immutable, Alias("horizonai.bot-write-result")]
public sealed record BotWriteResult([property: Id(0)] BotWriteOutcome Outcome, [property: Id(1)] BotDefinition? Bot);
