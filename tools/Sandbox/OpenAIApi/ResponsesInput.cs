using System.Text.Json.Nodes;

namespace HorizonAI.Sandbox.OpenAIApi;

/// <summary>What the sandbox needs from a Responses <c>input</c>: a string, or an array of input items.</summary>
/// <param name="UserText">The text of every user message, joined by a newline.</param>
/// <param name="DeveloperText">The text of every system or developer message, joined by a newline; null when there are none.</param>
internal sealed record ResponsesInput(string UserText, string? DeveloperText)
{
    /// <summary>An image in a user message is no image OpenAI can read: the request is refused.</summary>
    public bool HasUnreadableImage { get; init; }

    /// <summary>The call_id of every function_call_output item: the calls this input answers.</summary>
    public IReadOnlyList<string> CallOutputs { get; init; } = [];

    public static ResponsesInput Read(JsonNode? input)
    {
        if (RequestJson.Text(input) is { } text)
        {
            return new ResponsesInput(text, null);
        }

        var user = new List<string>();
        var developer = new List<string>();
        var unreadable = false;
        var outputs = new List<string>();
        foreach (var item in (input as JsonArray ?? []).OfType<JsonObject>())
        {
            // Items without a type are messages (EasyInputMessage); other items (tool outputs…) carry no user text.
            var type = RequestJson.Text(item["type"]) ?? "message";
            if (type == "function_call_output" && RequestJson.Text(item["call_id"]) is { } callId)
            {
                outputs.Add(callId);
            }

            if (type != "message")
            {
                continue;
            }

            var content = RequestJson.ContentText(item["content"]);
            switch (RequestJson.Text(item["role"]))
            {
                case "user":
                    user.Add(content);
                    unreadable |= RequestJson.HasUnreadableImage(item["content"]);
                    break;
                case "system" or "developer":
                    developer.Add(content);
                    break;
            }
        }

        return new ResponsesInput(string.Join('\n', user), developer.Count == 0 ? null : string.Join('\n', developer)) { HasUnreadableImage = unreadable, CallOutputs = outputs };
    }
}
