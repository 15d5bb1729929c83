using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HorizonAI.Sandbox.Faults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HorizonAI.Sandbox.OpenAIApi;

/// <summary>
/// <c>POST /v1/audio/transcriptions</c> (multipart <c>file</c>, <c>model</c>), answering <c>{"text": …}</c>. The
/// sandbox cannot hear: it checks that the file is audio OpenAI accepts (an Ogg Opus voice note is read down to its
/// duration), then answers the transcript a test registered for those bytes, or one naming the duration.
/// </summary>
internal static class TranscriptionEndpoints
{
    public static RouteHandlerBuilder MapTranscriptions(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/audio/transcriptions", TranscribeAsync).DisableAntiforgery();

    private static async Task<Results<Ok<JsonObject>, JsonHttpResult<JsonObject>, EmptyHttpResult>> TranscribeAsync(HttpContext context, SandboxState state)
    {
        if (await FaultGate.ApplyAsync(state.OpenAI, context, OpenAIErrors.Injected) is { } injected)
        {
            return injected is JsonHttpResult<JsonObject> error ? error : TypedResults.Empty;
        }

        if (!context.Request.HasFormContentType)
        {
            return OpenAIErrors.Create(400, "Send the audio as multipart/form-data.", OpenAIErrors.InvalidRequest);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var model = form["model"].ToString();
        if (model.Length == 0)
        {
            return OpenAIErrors.Create(400, "Missing required parameter: 'model'.", OpenAIErrors.InvalidRequest, "model", "missing_required_parameter");
        }

        if (form.Files.GetFile("file") is not { } file)
        {
            return OpenAIErrors.Create(400, "Missing required parameter: 'file'.", OpenAIErrors.InvalidRequest, "file", "missing_required_parameter");
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, context.RequestAborted);
        var audio = buffer.ToArray();
        var format = Format(audio);
        if (format is null)
        {
            return OpenAIErrors.Create(400,
                "Invalid file format. Supported formats: ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm']",
                OpenAIErrors.InvalidRequest, "file", "invalid_value");
        }

        var seconds = OggOpusSeconds(audio);
        var text = state.Media.TranscriptFor(audio)
            ?? (seconds is { } known
                ? string.Create(CultureInfo.InvariantCulture, $"(sandbox transcript of {known:0.0} s of {format} audio)")
                : $"(sandbox transcript of {format} audio)");
        state.Media.Record(new Transcription(model, file.FileName, audio.Length, text));
        // As OpenAI bills them: whisper by the second of audio, the gpt-4o transcription models by tokens (here ten
        // audio tokens a second, and the transcript's text tokens).
        var length = seconds ?? 1;
        var audioTokens = (int)Math.Ceiling(length * 10);
        var textTokens = SandboxAssistant.Tokens(text.Length);
        var usage = model.StartsWith("whisper", StringComparison.Ordinal)
            ? new JsonObject { ["type"] = "duration", ["seconds"] = (int)Math.Ceiling(length) }
            : new JsonObject
            {
                ["type"] = "tokens",
                ["input_tokens"] = audioTokens,
                ["input_token_details"] = new JsonObject { ["text_tokens"] = 0, ["audio_tokens"] = audioTokens },
                ["output_tokens"] = textTokens,
                ["total_tokens"] = audioTokens + textTokens,
            };
        return TypedResults.Ok(new JsonObject { ["text"] = text, ["usage"] = usage });
    }

    /// <summary>What the bytes are, by their signature: null when not a format OpenAI transcribes.</summary>
    private static string? Format(byte[] audio)
    {
        var head = Encoding.ASCII.GetString(audio, 0, Math.Min(audio.Length, 64));
        return head switch
        {
            _ when head.StartsWith("OggS", StringComparison.Ordinal) => "ogg",
            _ when head.StartsWith("RIFF", StringComparison.Ordinal) && head.Length >= 12 && head[8..12] == "WAVE" => "wav",
            _ when head.StartsWith("ID3", StringComparison.Ordinal) || (audio.Length > 1 && audio[0] == 0xFF && (audio[1] & 0xE0) == 0xE0) => "mp3",
            _ when head.StartsWith("fLaC", StringComparison.Ordinal) => "flac",
            _ when head.Length >= 8 && head[4..8] == "ftyp" => "m4a",
            _ when audio.Length > 3 && audio[0] == 0x1A && audio[1] == 0x45 && audio[2] == 0xDF && audio[3] == 0xA3 => "webm",
            _ => null,
        };
    }

    /// <summary>
    /// The duration of an Ogg Opus stream: the granule position of its last page (48 kHz samples) less the
    /// pre-skip of its OpusHead; null when the bytes are not Ogg Opus.
    /// </summary>
    private static double? OggOpusSeconds(byte[] audio)
    {
        var span = audio.AsSpan();
        var opusHead = span.IndexOf("OpusHead"u8);
        if (!span.StartsWith("OggS"u8) || opusHead < 0 || opusHead + 12 > span.Length)
        {
            return null;
        }

        var preSkip = BinaryPrimitives.ReadUInt16LittleEndian(span[(opusHead + 10)..]);
        var last = span.LastIndexOf("OggS"u8);
        if (last + 14 > span.Length)
        {
            return null;
        }

        var granule = BinaryPrimitives.ReadInt64LittleEndian(span[(last + 6)..]);
        return granule <= preSkip ? 0 : (granule - preSkip) / 48000.0;
    }
}
