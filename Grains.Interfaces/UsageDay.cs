namespace HorizonAI.Grains.Interfaces;

/// <summary>A bot's traffic and tokens on one UTC day.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.usage-day")]
public sealed record UsageDay(
    [property: Id(0)] DateOnly Day,
    [property: Id(1)] int InboundMessages,
    [property: Id(2)] int OutboundMessages,
    [property: Id(3)] long InputTokens,
    [property: Id(4)] long OutputTokens,
    [property: Id(5)] long CachedTokens)
{
    /// <summary>Voice notes and other audio received.</summary>
    [Id(6)] public int AudioItems { get; init; }

    [Id(7)] public int Images { get; init; }

    [Id(8)] public int Documents { get; init; }

    /// <summary>The length of the audio transcribed.</summary>
    [Id(9)] public double TranscribedSeconds { get; init; }

    /// <summary>The tokens transcriptions cost, where the model bills by tokens.</summary>
    [Id(10)] public long TranscriptionTokens { get; init; }

    /// <summary>The part of <see cref="TranscribedSeconds"/> billed by the minute (models that report no tokens).</summary>
    [Id(11)] public double MinuteBilledSeconds { get; init; }

    /// <summary>Calls of the business's tools the assistant made.</summary>
    [Id(12)] public int ToolCalls { get; init; }

    /// <summary>Searches of the bot's knowledge (OpenAI's hosted file_search calls and the platform's own full-text searches).</summary>
    [Id(13)] public int KnowledgeSearches { get; init; }

    /// <summary>Those that were OpenAI's hosted file_search calls, which are priced.</summary>
    [Id(14)] public int FileSearches { get; init; }
}
