using System.Text.Json.Nodes;

namespace HorizonAI.Sandbox.OpenAIApi;

/// <summary>What the sandbox needs from a Responses <c>input</c>: a string, or an array of input items.</summary>
/// <param name="UserText">The text of every user message, joined by a newline.</param>
/// <param name="DeveloperText">The text of every system or developer message, joined by a newline; null when there are none.</param>
internal sealed record ResponsesInput(string UserText, string? DeveloperText)
{
    /// <summary>The text of the last user message; empty when there is none.</summary>
    public string LastUserText { get; init; } = "";

    /// <summary>An image in a user message is no image OpenAI can read: the request is refused.</summary>
    public bool HasUnreadableImage { get; init; }

    /// <summary>Whether the input carries a user message: the user spoke, so this is a new turn.</summary>
    public bool HasUserMessage { get; init; }

    /// <summary>Every function_call_output item, in order: the calls this input answers.</summary>
    public IReadOnlyList<FunctionOutput> Outputs { get; init; } = [];

    /// <summary>The call_id of every function_call_output item.</summary>
    public IReadOnlyList<string> CallOutputs => [.. Outputs.Select(output => output.CallId)];

    /// <summary>The outputs after the last user message (all of them when there is none).</summary>
    public IReadOnlyList<FunctionOutput> OutputsAfterLastUser { get; init; } = [];

    /// <summary>The outputs after the last user message and the last function_call item: the answers to the model's last calls.</summary>
    public IReadOnlyList<FunctionOutput> LatestOutputs { get; init; } = [];

    /// <summary>The function names of the function_call items the input replays (a caller keeping its own history), by call_id.</summary>
    public IReadOnlyDictionary<string, string> CallNames { get; init; } = new Dictionary<string, string>();

    public static ResponsesInput Read(JsonNode? input)
    {
        if (RequestJson.Text(input) is { } text)
        {
            return new ResponsesInput(text, null) { HasUserMessage = true, LastUserText = text };
        }

        var user = new List<string>();
        var developer = new List<string>();
        var unreadable = false;
        var outputs = new List<(int At, FunctionOutput Output)>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        int lastUser = -1, lastCall = -1;
        var items = (input as JsonArray ?? []).OfType<JsonObject>().ToArray();
        for (var at = 0; at < items.Length; at++)
        {
            var item = items[at];

            // Items without a type are messages (EasyInputMessage); other items (tool outputs…) carry no user text.
            switch (RequestJson.Text(item["type"]) ?? "message")
            {
                case "function_call_output" when RequestJson.Text(item["call_id"]) is { } callId:
                    // The output is a string, or (newer API) an array of content parts.
                    outputs.Add((at, new FunctionOutput(callId, RequestJson.Text(item["output"]) ?? RequestJson.ContentText(item["output"]))));
                    break;
                case "function_call" when RequestJson.Text(item["call_id"]) is { } callId:
                    names[callId] = RequestJson.Text(item["name"]) ?? "";
                    lastCall = at;
                    break;
                case "message":
                    var content = RequestJson.ContentText(item["content"]);
                    switch (RequestJson.Text(item["role"]))
                    {
                        case "user":
                            user.Add(content);
                            unreadable |= RequestJson.HasUnreadableImage(item["content"]);
                            lastUser = at;
                            break;
                        case "system" or "developer":
                            developer.Add(content);
                            break;
                    }

                    break;
            }
        }

        return new ResponsesInput(string.Join('\n', user), developer.Count == 0 ? null : string.Join('\n', developer))
        {
            HasUnreadableImage = unreadable,
            HasUserMessage = user.Count > 0,
            LastUserText = user.Count > 0 ? user[^1] : "",
            Outputs = [.. outputs.Select(o => o.Output)],
            OutputsAfterLastUser = [.. outputs.Where(o => o.At > lastUser).Select(o => o.Output)],
            LatestOutputs = [.. outputs.Where(o => o.At > Math.Max(lastUser, lastCall)).Select(o => o.Output)],
            CallNames = names,
        };
    }
}
