namespace HorizonAI.Grains.Media;

/// <summary>Turns a voice note into text.</summary>
public interface IVoiceTranscriber
{
    /// <summary>The transcript, or a permanent reason there is none; transient failures are thrown.</summary>
    Task<Transcript> TranscribeAsync(BinaryData audio, string fileName, string model, CancellationToken cancellationToken);
}

public sealed record Transcript(string Text, string? Refusal);
