using System.Text.Json.Nodes;

namespace HorizonAI.Sandbox.OpenAIApi;

/// <summary>
/// The tool calls and tool messages of a Chat Completions <c>messages</c> array, checked as OpenAI checks them:
/// an assistant message with <c>tool_calls</c> must be followed by a <c>tool</c> message for each call, and a
/// <c>tool</c> message must answer such a call.
/// </summary>
internal sealed record ChatToolMessages
{
    /// <summary>Why OpenAI would refuse the messages; null when they are well formed.</summary>
    public string? Error { get; private init; }

    /// <summary>Every tool message, in order.</summary>
    public IReadOnlyList<FunctionOutput> Outputs { get; private init; } = [];

    /// <summary>The tool messages after the last assistant message, when that comes after the last user message: the answers to the model's last calls.</summary>
    public IReadOnlyList<FunctionOutput> LatestOutputs { get; private init; } = [];

    /// <summary>The tool messages after the last user message.</summary>
    public int OutputsAfterLastUser { get; private init; }

    /// <summary>The function names of the assistant messages' tool calls, by id.</summary>
    public IReadOnlyDictionary<string, string> CallNames { get; private init; } = new Dictionary<string, string>();

    public static ChatToolMessages Read(IReadOnlyList<JsonObject> messages)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var outputs = new List<(int At, FunctionOutput Output)>();
        var owed = new List<string>();
        int lastUser = -1, lastAssistant = -1;
        for (var at = 0; at < messages.Count; at++)
        {
            var message = messages[at];
            var role = RequestJson.Text(message["role"]);
            if (role != "tool" && owed.Count > 0)
            {
                return Refused(owed);
            }

            switch (role)
            {
                case "user":
                    lastUser = at;
                    break;
                case "assistant":
                    lastAssistant = at;
                    owed.Clear();
                    foreach (var call in (message["tool_calls"] as JsonArray ?? []).OfType<JsonObject>())
                    {
                        if (RequestJson.Text(call["id"]) is { } id)
                        {
                            names[id] = RequestJson.Text(call["function"]?["name"]) ?? "";
                            owed.Add(id);
                        }
                    }

                    break;
                case "tool":
                    var callId = RequestJson.Text(message["tool_call_id"]) ?? "";
                    if (!owed.Remove(callId))
                    {
                        return new ChatToolMessages
                        {
                            Error = "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
                        };
                    }

                    outputs.Add((at, new FunctionOutput(callId, RequestJson.ContentText(message["content"]))));
                    break;
            }
        }

        if (owed.Count > 0)
        {
            return Refused(owed);
        }

        return new ChatToolMessages
        {
            Outputs = [.. outputs.Select(o => o.Output)],
            LatestOutputs = lastAssistant > lastUser ? [.. outputs.Where(o => o.At > lastAssistant).Select(o => o.Output)] : [],
            OutputsAfterLastUser = outputs.Count(o => o.At > lastUser),
            CallNames = names,
        };
    }

    private static ChatToolMessages Refused(List<string> owed) => new()
    {
        Error = "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. "
            + $"The following tool_call_ids did not have response messages: {string.Join(", ", owed)}",
    };
}
