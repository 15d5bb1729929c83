namespace HorizonAI.Grains.Interfaces;

/// <summary>A bot's traffic and tokens on one UTC day.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.usage-day")]
public sealed record UsageDay(
    [property: Id(0)] DateOnly Day,
    [property: Id(1)] int InboundMessages,
    [property: Id(2)] int OutboundMessages,
    [property: Id(3)] long InputTokens,
    [property: Id(4)] long OutputTokens,
    [property: Id(5)] long CachedTokens);
