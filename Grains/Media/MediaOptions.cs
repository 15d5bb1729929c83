using HorizonAI.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;

namespace HorizonAI.Grains.Media;

/// <summary>What the platform fetches of the media end users send, and how it transcribes voice notes.</summary>
public sealed class MediaOptions
{
    public const string MaxAudioVariable = "MEDIA_MAX_AUDIO_BYTES";
    public const string MaxImageVariable = "MEDIA_MAX_IMAGE_BYTES";
    public const string MaxDocumentVariable = "MEDIA_MAX_DOCUMENT_BYTES";
    public const string MaxMessageVariable = "MEDIA_MAX_MESSAGE_BYTES";
    public const string TranscriptionModelVariable = "OPENAI_TRANSCRIPTION_MODEL";
    public const string UnreadableMessageVariable = "MEDIA_UNREADABLE_MESSAGE";

    public const string DefaultTranscriptionModel = "gpt-4o-mini-transcribe";
    public const string DefaultUnreadableMessage =
        "Sorry, I can't read this kind of file. Please write your message, or send a voice note, a photo or a PDF.";

    private const int MiB = 1024 * 1024;
    private const string BytesRule = " must be a whole number of bytes, 1 or more";

    /// <summary>A voice note or other audio; OpenAI's transcription takes up to 25 MB.</summary>
    [SettingRange(1, int.MaxValue, ErrorMessage = MaxAudioVariable + BytesRule)]
    public int MaxAudioBytes { get; set; } = 16 * MiB;

    /// <summary>An image; WhatsApp itself sends at most 5 MB.</summary>
    [SettingRange(1, int.MaxValue, ErrorMessage = MaxImageVariable + BytesRule)]
    public int MaxImageBytes { get; set; } = 5 * MiB;

    /// <summary>A PDF.</summary>
    [SettingRange(1, int.MaxValue, ErrorMessage = MaxDocumentVariable + BytesRule)]
    public int MaxDocumentBytes { get; set; } = 16 * MiB;

    /// <summary>All the media of one message together.</summary>
    [SettingRange(1, int.MaxValue, ErrorMessage = MaxMessageVariable + BytesRule)]
    public int MaxMessageBytes { get; set; } = 25 * MiB;

    /// <summary>The transcription model of bots that name none.</summary>
    public string TranscriptionModel { get; set; } = DefaultTranscriptionModel;

    /// <summary>The answer to a file that cannot be read, for bots that set none.</summary>
    [SettingLength(0, 1600, ErrorMessage = UnreadableMessageVariable + " must be at most 1600 characters (one WhatsApp message)")]
    public string UnreadableMessage { get; set; } = DefaultUnreadableMessage;

    public static MediaOptions From(IConfiguration configuration) => new()
    {
        MaxAudioBytes = configuration.Integer(MaxAudioVariable, 16 * MiB),
        MaxImageBytes = configuration.Integer(MaxImageVariable, 5 * MiB),
        MaxDocumentBytes = configuration.Integer(MaxDocumentVariable, 16 * MiB),
        MaxMessageBytes = configuration.Integer(MaxMessageVariable, 25 * MiB),
        TranscriptionModel = configuration.Text(TranscriptionModelVariable) ?? DefaultTranscriptionModel,
        UnreadableMessage = configuration.Text(UnreadableMessageVariable) ?? DefaultUnreadableMessage,
    };
}
