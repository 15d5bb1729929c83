namespace HorizonAI.Grains.Media;

/// <summary>Turns a voice note into text.</summary>
public interface IVoiceTranscriber
{
    /// <summary>The transcript, or a permanent reason there is none; transient failures are thrown.</summary>
    Task<Transcript> TranscribeAsync(BinaryData audio, string fileName, string model, CancellationToken cancellationToken);
}

/// <param name="Seconds">The length of the audio, as the API reported it or as read from the file; 0 when unknown.</param>
/// <param name="Tokens">The tokens the transcription cost, for models that bill by tokens; else 0.</param>
public sealed record Transcript(string Text, string? Refusal, double Seconds = 0, int Tokens = 0);
