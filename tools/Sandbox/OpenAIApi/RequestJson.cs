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
        if (Text(content) is { } text)
        {
            return text;
        }

        if (content is not JsonArray parts)
        {
            return "";
        }

        return string.Concat(parts
            .OfType<JsonObject>()
            .Where(part => Text(part["type"]) is "input_text" or "output_text" or "text")
            .Select(part => Text(part["text"]) ?? ""));
    }
}
