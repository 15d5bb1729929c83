namespace HorizonAI.Grains.Storage;

/// <summary>What a turn read of one message's media, kept on its row.</summary>
/// <param name="Text">Its voice note transcripts, and why items could not be read, one line each.</param>
/// <param name="TranscribedSeconds">The length of the audio it transcribed.</param>
/// <param name="TranscriptionTokens">The tokens its transcriptions cost, where the model bills by tokens.</param>
public sealed record MediaReading(string Text, double TranscribedSeconds, int TranscriptionTokens);
