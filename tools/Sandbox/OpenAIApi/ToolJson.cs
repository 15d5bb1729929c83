using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace HorizonAI.Sandbox.OpenAIApi;

/// <summary>The tool fields of both APIs' requests, and the calls the sandbox model makes.</summary>
internal static class ToolJson
{
    /// <summary>Responses: <c>tools</c> items <c>{"type":"function","name":…}</c>.</summary>
    public static IReadOnlyList<string> ResponsesFunctions(JsonObject body) => Functions(body, tool => tool["name"]);

    /// <summary>Chat Completions: <c>tools</c> items <c>{"type":"function","function":{"name":…}}</c>.</summary>
    public static IReadOnlyList<string> ChatFunctions(JsonObject body) => Functions(body, tool => tool["function"]?["name"]);

    /// <summary>
    /// Responses: the <c>vector_store_ids</c> of the <c>{"type":"file_search"}</c> tools, in order, each once; null when
    /// no file_search tool is offered.
    /// </summary>
    public static IReadOnlyList<string>? FileSearchStoreIds(JsonObject body)
    {
        var tools = (body["tools"] as JsonArray ?? []).OfType<JsonObject>().Where(tool => RequestJson.Text(tool["type"]) == "file_search").ToArray();
        return tools.Length == 0
            ? null
            : [.. tools.SelectMany(tool => (tool["vector_store_ids"] as JsonArray ?? []).Select(RequestJson.Text).OfType<string>()).Distinct(StringComparer.Ordinal)];
    }

    /// <summary><c>tool_choice</c>: its string, or a named function as JSON text; null when absent.</summary>
    public static string? ToolChoice(JsonObject body) => body["tool_choice"] switch
    {
        null => null,
        JsonValue value when RequestJson.Text(value) is { } text => text,
        var other => other.ToJsonString(),
    };

    /// <summary>Gives each requested call an id, as the model does.</summary>
    public static List<FunctionCall> Identify(IEnumerable<RequestedCall> calls) =>
        [.. calls.Select(call => new FunctionCall("call_" + RandomNumberGenerator.GetHexString(24, lowercase: true), call.Name, call.Arguments))];

    private static List<string> Functions(JsonObject body, Func<JsonObject, JsonNode?> name) =>
        [.. (body["tools"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(tool => RequestJson.Text(tool["type"]) is null or "function")
            .Select(tool => RequestJson.Text(name(tool)))
            .OfType<string>()];
}
