namespace HorizonAI.Grains.Interfaces;

/// <summary>One message of a transcript, inbound or outbound, with its delivery status.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.transcript-message")]
public sealed record TranscriptMessage(
    [property: Id(0)] long Id,
    [property: Id(1)] string Direction,
    [property: Id(2)] string Text,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] string? TwilioSid,
    [property: Id(5)] string Status,
    [property: Id(6)] string? ErrorCode,
    [property: Id(7)] string? ErrorMessage)
{
    /// <summary>Each media item of an inbound message: its Twilio URL and content type.</summary>
    [Id(8)] public TranscriptMedia[] Media { get; init; } = [];

    /// <summary>What the platform read from the media: voice note transcripts, or why an item could not be read.</summary>
    [Id(9)] public string? MediaText { get; init; }

    /// <summary>Who sent an operator's message (null for the user's messages and the bot's replies).</summary>
    [Id(10)] public string? SentBy { get; init; }

    /// <summary>For a call of a business's tool (direction <c>tool</c>): the tool, how long it took, its arguments and output.</summary>
    [Id(11)] public TranscriptToolCall? ToolCall { get; init; }

    /// <summary>For a reply: the documents of the bot's knowledge the answer used (operators see them; the user never does).</summary>
    [Id(12)] public TranscriptSource[] KnowledgeSources { get; init; } = [];

    public const string ToolDirection = "tool";
}

/// <summary>A call of a business's tool as the transcript shows it; its arguments and output only to <c>manage</c> keys and the admin key.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.transcript-tool-call")]
public sealed record TranscriptToolCall(
    [property: Id(0)] string Tool,
    [property: Id(1)] int? DurationMs,
    [property: Id(2)] string Arguments,
    [property: Id(3)] string? Output);

/// <summary>One media item of a transcript message.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.transcript-media")]
public sealed record TranscriptMedia([property: Id(0)] string Url, [property: Id(1)] string ContentType);

/// <summary>A document an answer used: its id (null for a file of another of the bot's vector stores) and title.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.transcript-source")]
public sealed record TranscriptSource([property: Id(0)] string? Id, [property: Id(1)] string Title);
