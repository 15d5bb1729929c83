using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HorizonAI.Sandbox.OpenAIApi;

/// <summary>Reads OpenAI request bodies as JSON trees: their fields are polymorphic (string or object or array).</summary>
internal static class RequestJson
{
    /// <summary>The body as an object; an empty object for an empty body; null when it is not a JSON object.</summary>
    public static async Task<JsonObject?> ReadObjectAsync(HttpRequest request)
    {
        if (request.ContentLength == 0)
        {
            return [];
        }

        try
        {
            var node = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            return node switch
            {
                null => [],
                JsonObject body => body,
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static JsonHttpResult<JsonObject> Unparsable() => OpenAIErrors.Create(
        400,
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)",
        OpenAIErrors.InvalidRequest);

    /// <summary>A string field, or null when absent, null or not a string.</summary>
    public static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>
    /// The text of a message <c>content</c>: a string, or an array of parts whose text ones
    /// (<c>input_text</c>, <c>output_text</c>, <c>text</c>) are concatenated.
    /// </summary>
    public static string ContentText(JsonNode? content)
    {
        if (Text(content) is { } plain)
        {
            return plain;
        }

        if (content is not JsonArray parts)
        {
            return "";
        }

        // Images and files are described, in order, so that a test sees what the model was given.
        var text = new StringBuilder();
        foreach (var part in parts.OfType<JsonObject>())
        {
            switch (Text(part["type"]))
            {
                case "input_text" or "output_text" or "text":
                    text.Append(Text(part["text"]));
                    break;
                case "input_image":
                    Describe(text, "image", Text(part["image_url"]), null);
                    break;
                case "image_url":
                    Describe(text, "image", Text(part["image_url"]?["url"]), null);
                    break;
                case "input_file":
                    Describe(text, "file", Text(part["file_data"]), Text(part["filename"]));
                    break;
                case "file":
                    Describe(text, "file", Text(part["file"]?["file_data"]), Text(part["file"]?["filename"]));
                    break;
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Whether a message <c>content</c> carries an image whose bytes are no image format OpenAI reads (png, jpeg, gif,
    /// webp): OpenAI refuses the whole request with 400 then, and so does the sandbox.
    /// </summary>
    public static bool HasUnreadableImage(JsonNode? content) =>
        content is JsonArray parts && parts.OfType<JsonObject>().Any(part => Text(part["type"]) switch
        {
            "input_image" => IsUnreadableImage(Text(part["image_url"])),
            "image_url" => IsUnreadableImage(Text(part["image_url"]?["url"])),
            _ => false,
        });

    private static bool IsUnreadableImage(string? data) =>
        IsDataUrl(data) && DecodeDataUrl(data!) is var (_, bytes, valid) && (!valid || Signature(bytes) is not ("png" or "jpeg" or "gif" or "webp"));

    private const string Base64Marker = ";base64,";

    private static bool IsDataUrl(string? data) =>
        data is not null && data.StartsWith("data:", StringComparison.Ordinal) && data.Contains(Base64Marker, StringComparison.Ordinal);

    /// <summary>A <c>data:TYPE;base64,…</c> URL (see <see cref="IsDataUrl"/>) as its type and bytes; not valid when the base64 is not.</summary>
    private static (string MediaType, byte[] Bytes, bool Valid) DecodeDataUrl(string data)
    {
        var at = data.IndexOf(Base64Marker, StringComparison.Ordinal);
        try
        {
            return (data[5..at], Convert.FromBase64String(data[(at + Base64Marker.Length)..]), true);
        }
        catch (FormatException)
        {
            return (data[5..at], [], false);
        }
    }

    private static string Signature(byte[] bytes) => bytes.AsSpan() switch
    {
        var b when b.StartsWith(new byte[] { 0x89, 0x50, 0x4E, 0x47 }) => "png",
        var b when b.StartsWith(new byte[] { 0xFF, 0xD8, 0xFF }) => "jpeg",
        var b when b.StartsWith("%PDF-"u8) => "pdf",
        var b when b.StartsWith("GIF8"u8) => "gif",
        var b when b.Length >= 12 && b.StartsWith("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8) => "webp",
        _ => "unknown",
    };

    /// <summary>
    /// <c>[image image/png 1234 bytes png]</c>: the declared type, the decoded size and what the bytes really are
    /// (by signature); a URL instead of data is shown as <c>[image url …]</c>, which no model could open at Twilio.
    /// </summary>
    private static void Describe(StringBuilder text, string kind, string? data, string? fileName)
    {
        if (text.Length > 0)
        {
            text.Append('\n');
        }

        if (!IsDataUrl(data))
        {
            text.Append(CultureInfo.InvariantCulture, $"[{kind} url {data}]");
            return;
        }

        var (mediaType, bytes, valid) = DecodeDataUrl(data!);
        if (!valid)
        {
            text.Append(CultureInfo.InvariantCulture, $"[{kind} with invalid base64]");
            return;
        }

        var signature = Signature(bytes);
        var name = fileName is null ? "" : " " + fileName;
        text.Append(CultureInfo.InvariantCulture, $"[{kind}{name} {mediaType} {bytes.Length} bytes {signature}]");
    }
}
