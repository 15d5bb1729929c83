namespace HorizonAI.Grains.Conversations;

[GenerateSerializer, Alias("horizonai.pending-message")]
public sealed class PendingMessage
{
    [Id(0)] public string Sid { get; set; } = "";

    [Id(1)] public string Text { get; set; } = "";

    [Id(2)] public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>
    /// The text as the user wrote it, for the message log, when it differs from <see cref="Text"/> (which also names
    /// any media); null otherwise.
    /// </summary>
    [Id(3)] public string? Body { get; set; }
}
