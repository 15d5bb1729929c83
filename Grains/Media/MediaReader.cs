using HorizonAI.Grains.Assistants;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Storage;
using HorizonAI.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HorizonAI.Grains.Media;

/// <summary>
/// Turns the messages a turn answers into what the assistant reads: voice notes fetched and transcribed, images and
/// PDFs fetched and passed as data, and every item that cannot be read (an unsupported type, too large, gone) named
/// with its reason, so the user gets a clear answer instead of a silent drop.
/// </summary>
public sealed partial class MediaReader(
    MediaFetcher fetcher,
    IVoiceTranscriber transcriber,
    IOptions<MediaOptions> options,
    HorizonMetrics metrics,
    ILogger<MediaReader> logger)
{
    private static readonly HashSet<string> ImageTypes = ["image/jpeg", "image/png", "image/webp", "image/gif"];
    private static readonly Dictionary<string, string> AudioExtensions = new(StringComparer.Ordinal)
    {
        ["audio/ogg"] = "ogg", ["audio/opus"] = "ogg", ["audio/mpeg"] = "mp3", ["audio/mp3"] = "mp3", ["audio/mp4"] = "m4a",
        ["audio/m4a"] = "m4a", ["audio/x-m4a"] = "m4a", ["audio/aac"] = "m4a", ["audio/wav"] = "wav", ["audio/x-wav"] = "wav",
        ["audio/webm"] = "webm",
    };

    /// <summary>
    /// What the assistant reads of <paramref name="batch"/> (messages with nothing readable left out), what was read
    /// of each message's media for its transcript, and whether any item could not be read.
    /// </summary>
    public async Task<ReadBatch> ReadAsync(BotDefinition bot, IReadOnlyList<PendingInbound> batch, CancellationToken cancellationToken)
    {
        var inputs = new List<UserInput>();
        var readings = new Dictionary<long, MediaReading>();
        var unreadable = false;
        foreach (var message in batch)
        {
            if (message.Media.Count == 0)
            {
                inputs.Add(UserInput.FromText(message.Body) with { MessageId = message.Id });
                continue;
            }

            var lines = new List<string>();
            var notes = new List<string>();
            var attachments = new List<Attachment>();
            var budget = options.Value.MaxMessageBytes;
            var (seconds, tokens) = (0d, 0);
            foreach (var (item, index) in message.Media.Select((m, i) => (m, i + 1)))
            {
                var read = await ReadItemAsync(bot, item, index, budget, cancellationToken);
                budget -= read.Bytes;
                seconds += read.Seconds;
                tokens += read.Tokens;
                metrics.MediaRead(bot.PhoneNumber, read.Kind, read.Refusal is null);
                if (read.Refusal is { } refusal)
                {
                    unreadable = true;
                    notes.Add($"{read.Kind} ({ContentTypeOrUnknown(item)}) not read: {refusal}");
                    LogUnreadable(bot.PhoneNumber, message.MessageSid, index, ContentTypeOrUnknown(item), refusal);
                    continue;
                }

                if (read.Transcript is { } transcript)
                {
                    lines.Add("[voice note] " + transcript);
                    notes.Add("voice note: " + transcript);
                }

                if (read.Attachment is { } attachment)
                {
                    attachments.Add(attachment);
                }
            }

            readings[message.Id] = new MediaReading(string.Join('\n', notes), seconds, tokens);
            var text = string.Join('\n', new[] { message.Body }.Concat(lines).Where(l => l.Length > 0));
            if (text.Length > 0 || attachments.Count > 0)
            {
                inputs.Add(new UserInput(text, attachments) { MessageId = message.Id });
            }
        }

        return new ReadBatch(inputs, readings, unreadable ? UnreadableAnswer(bot) : null);
    }

    /// <summary>The bot's answer to files it cannot read.</summary>
    public string UnreadableAnswer(BotDefinition bot) =>
        string.IsNullOrWhiteSpace(bot.UnreadableMediaMessage) ? options.Value.UnreadableMessage : bot.UnreadableMediaMessage;

    private async Task<ItemRead> ReadItemAsync(BotDefinition bot, MediaItem item, int index, int budget, CancellationToken cancellationToken)
    {
        var type = item.ContentType;
        FetchedMedia? fetched = null;
        if (type.Length == 0)
        {
            // Twilio named no type (or the message was stored before types were): the media says what it is.
            var largest = Math.Max(options.Value.MaxAudioBytes, Math.Max(options.Value.MaxImageBytes, options.Value.MaxDocumentBytes));
            fetched = await fetcher.FetchAsync(item.Url, Math.Min(largest, Math.Max(budget, 1)), cancellationToken);
            if (fetched.Refusal is { } unfetched)
            {
                return ItemRead.Refused("other", unfetched);
            }

            type = fetched.ContentType;
        }

        var (kind, limit) = type switch
        {
            _ when type.StartsWith("audio/", StringComparison.Ordinal) => ("audio", options.Value.MaxAudioBytes),
            _ when type.StartsWith("image/", StringComparison.Ordinal) => ("image", options.Value.MaxImageBytes),
            "application/pdf" => ("document", options.Value.MaxDocumentBytes),
            _ => ("other", 0),
        };
        var supported = kind switch
        {
            "audio" => AudioExtensions.ContainsKey(type),
            "image" => ImageTypes.Contains(type),
            "document" => true,
            _ => false,
        };
        if (!supported)
        {
            return ItemRead.Refused(kind, "this kind of file is not supported");
        }

        if (budget <= 0)
        {
            return ItemRead.Refused(kind, "the message's media are too large together");
        }

        // A pre-fetched item (its type unknown until then) was fetched under the largest limit: hold it to its own.
        var allowed = Math.Min(limit, budget);
        fetched ??= await fetcher.FetchAsync(item.Url, allowed, cancellationToken);
        if (fetched.Refusal is { } refusal)
        {
            return ItemRead.Refused(kind, refusal);
        }

        var data = fetched.Data!;
        var bytes = data.ToMemory().Length;
        if (bytes > allowed)
        {
            return ItemRead.Refused(kind, FetchedMedia.TooLarge(bytes, allowed).Refusal!);
        }

        switch (kind)
        {
            case "audio":
                var model = string.IsNullOrWhiteSpace(bot.TranscriptionModel) ? options.Value.TranscriptionModel : bot.TranscriptionModel;
                var transcript = await transcriber.TranscribeAsync(data, $"voice-note-{index}.{AudioExtensions[type]}", model, cancellationToken);
                return transcript.Refusal is { } notTranscribed
                    ? ItemRead.Refused(kind, notTranscribed) with { Bytes = bytes, Seconds = transcript.Seconds, Tokens = transcript.Tokens }
                    : new ItemRead(kind, bytes, transcript.Text.Trim(), null, null) { Seconds = transcript.Seconds, Tokens = transcript.Tokens };
            case "image":
                return new ItemRead(kind, bytes, null, new Attachment(AttachmentKind.Image, data, type, $"image-{index}"), null);
            default:
                return new ItemRead(kind, bytes, null, new Attachment(AttachmentKind.Document, data, type, $"document-{index}.pdf"), null);
        }
    }

    private static string ContentTypeOrUnknown(MediaItem item) => item.ContentType.Length > 0 ? item.ContentType : "no content type";

    private sealed record ItemRead(string Kind, int Bytes, string? Transcript, Attachment? Attachment, string? Refusal)
    {
        public double Seconds { get; init; }

        public int Tokens { get; init; }

        public static ItemRead Refused(string kind, string reason) => new(kind, 0, null, null, reason);
    }

    [LoggerMessage(EventId = 2020, Level = LogLevel.Warning, Message = "Bot {BotNumber}: media {Index} of message {MessageSid} ({ContentType}) could not be read: {Reason}")]
    private partial void LogUnreadable(string botNumber, string messageSid, int index, string contentType, string reason);
}

/// <summary>What a turn's messages give the assistant.</summary>
/// <param name="Inputs">The messages with something readable, oldest first.</param>
/// <param name="Readings">Per message with media: what was read of it (transcripts) and why items were not, and what transcribing cost.</param>
/// <param name="UnreadableAnswer">The bot's answer to files it cannot read, when any item could not be read; else null.</param>
public sealed record ReadBatch(IReadOnlyList<UserInput> Inputs, IReadOnlyDictionary<long, MediaReading> Readings, string? UnreadableAnswer);
