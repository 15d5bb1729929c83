namespace HorizonAI.Grains.Interfaces;

/// <summary>A message a person sends to the user as the bot (from the admin API or the console): text, media, or both.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.operator-message")]
public sealed record OperatorMessage
{
    /// <summary>E.164 number of the end user (checked against the conversation's key).</summary>
    [Id(0)] public required string UserNumber { get; init; }

    [Id(1)] public string Text { get; init; } = "";

    /// <summary>A public URL of media to send (Twilio fetches it), or null.</summary>
    [Id(2)] public string? MediaUrl { get; init; }

    /// <summary>Who sent it, as shown in the transcript.</summary>
    [Id(3)] public required string SentBy { get; init; }
}
