using System.ClientModel;
using HorizonAI.Grains.Messaging;
using OpenAI.Audio;

namespace HorizonAI.Grains.Media;

/// <summary>OpenAI's audio transcription API through the official SDK, on the same resilient pipeline as the assistant.</summary>
public sealed class OpenAIVoiceTranscriber(OpenAI.OpenAIClient client) : IVoiceTranscriber
{
    public async Task<Transcript> TranscribeAsync(BinaryData audio, string fileName, string model, CancellationToken cancellationToken)
    {
        try
        {
            // A seekable stream, so that a retried request sends the whole file again.
            using var stream = audio.ToStream();
            var result = await client.GetAudioClient(model).TranscribeAudioAsync(stream, fileName, new AudioTranscriptionOptions(), cancellationToken);
            var text = result.Value.Text?.Trim() ?? "";
            var (seconds, tokens) = result.Value.Usage switch
            {
                AudioTranscriptionDurationUsage duration => (duration.Duration.TotalSeconds, 0),
                AudioTranscriptionTokenUsage billed => (0d, billed.TotalTokenCount),
                _ => (0d, 0),
            };
            if (seconds == 0)
            {
                seconds = result.Value.Duration?.TotalSeconds ?? OggOpus.Duration(audio.ToMemory().Span)?.TotalSeconds ?? 0;
            }

            return text.Length == 0
                ? new Transcript("", "the voice note has no speech in it", seconds, tokens)
                : new Transcript(text, null, seconds, tokens);
        }
        catch (ClientResultException ex) when (!UpstreamFailure.From(ex).IsTransient)
        {
            // Not audio OpenAI can read, or a model it does not have: trying again would not help.
            return new Transcript("", "it could not be transcribed (" + UpstreamFailure.From(ex).Code + ")");
        }
    }
}
