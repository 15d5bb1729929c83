using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HorizonAI.Sandbox.OpenAIApi;

/// <summary>
/// How the sandbox model uses function tools, the same for Responses and Chat Completions. The texts it answers
/// are part of the sandbox's contract: tests assert on them.
/// </summary>
internal static partial class ToolModel
{
    public const string HandoffTool = "request_human";
    public const string BookingTool = "book_table";
    public const string KnowledgeTool = "search_knowledge";
    public const string NothingFound = "I found nothing about that.";
    public const int OutputShownChars = 300;

    /// <summary>
    /// A turn's first response (no outputs in the request) makes the calls its tags ask for: <c>#handoff</c> and
    /// <c>#tool:</c> when offered, <c>#unknowntool:</c> always; with no tag, a mention of booking calls
    /// <c>book_table</c> when offered; with no tag and no other call, an offered <c>search_knowledge</c> is called with
    /// the user's last message as its <c>query</c>, until an output was given in the turn. <c>#toolloop:</c> calls in
    /// every response. A follow-up with no call due answers from a <c>search_knowledge</c> output when there is one
    /// (<c>From knowledge: SENTENCE</c>), else <c>NAME → OUTPUT</c> per output; told to answer without tools after
    /// outputs, it says so.
    /// </summary>
    public static ToolAnswer Decide(SandboxTags tags, string turnText, ToolRequest request)
    {
        var offered = request.OfferedTools.ToHashSet(StringComparer.Ordinal);
        if (!request.ChoosesNone)
        {
            var calls = new List<RequestedCall>();
            if (!request.IsFollowUp)
            {
                if (tags.HandoffReason is { } reason && offered.Contains(HandoffTool))
                {
                    calls.Add(new RequestedCall(HandoffTool, new JsonObject { ["reason"] = reason }.ToJsonString()));
                }

                calls.AddRange(tags.ToolCalls.Where(call => offered.Contains(call.Name)));
                calls.AddRange(tags.UnknownToolCalls);
                if (!tags.HasToolTags && tags.HandoffReason is null && offered.Contains(BookingTool) && BookingWords().IsMatch(turnText))
                {
                    calls.Add(new RequestedCall(BookingTool, BookingArguments(turnText)));
                }

                if (calls.Count == 0 && !tags.HasToolTags && request.OutputsInTurn == 0 && offered.Contains(KnowledgeTool))
                {
                    calls.Add(new RequestedCall(KnowledgeTool, new JsonObject { ["query"] = request.LastUserText }.ToJsonString()));
                }
            }

            if (tags.ToolLoop is { } loop && offered.Contains(loop))
            {
                calls.Add(new RequestedCall(loop, "{}"));
            }

            if (calls.Count > 0)
            {
                return new ToolAnswer(calls, null);
            }
        }

        if (request.OutputsInTurn > 0 && (request.ChoosesNone || offered.Count == 0))
        {
            return new ToolAnswer([], AnsweredWithoutTools(request.OutputsInTurn));
        }

        var knowledge = request.LatestOutputs.Where(output => output.Name == KnowledgeTool).Select(output => output.Output).ToArray();
        if (knowledge.Length > 0)
        {
            return new ToolAnswer([], KnowledgeAnswer(request.LastUserText, knowledge));
        }

        return request.IsFollowUp
            ? new ToolAnswer([], string.Join('\n', request.LatestOutputs.Select(output => OutputLine(output.Name, output.Output))))
            : ToolAnswer.OrdinaryReply;
    }

    /// <summary>
    /// <c>From knowledge: SENTENCE</c>, the sentence of the outputs that best matches the user's text (a JSON output is
    /// read as its string values), or <see cref="NothingFound"/>.
    /// </summary>
    public static string KnowledgeAnswer(string userText, IReadOnlyList<string> outputs)
    {
        var texts = outputs.SelectMany(TextsOf).ToArray();
        return Knowledge.KnowledgeSearch.Best(userText, texts) is { } hit ? $"From knowledge: {hit.Sentence}" : NothingFound;
    }

    private static IEnumerable<string> TextsOf(string output)
    {
        JsonNode? json;
        try
        {
            json = JsonNode.Parse(output);
        }
        catch (System.Text.Json.JsonException)
        {
            return [output];
        }

        return json is JsonObject or JsonArray ? StringsIn(json) : [output];
    }

    private static IEnumerable<string> StringsIn(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(pair => StringsIn(pair.Value)),
        JsonArray array => array.SelectMany(StringsIn),
        JsonValue value when RequestJson.Text(value) is { } text => [text],
        _ => [],
    };

    public static string AnsweredWithoutTools(int outputs) =>
        string.Create(CultureInfo.InvariantCulture, $"answered without tools after {outputs} tool outputs");

    public static string OutputLine(string name, string output) =>
        $"{name} → {(output.Length <= OutputShownChars ? output : output[..OutputShownChars])}";

    /// <summary>
    /// The demo rule's arguments: the first time written like 20:00 or 8.30 (else 20:00) and the first other number
    /// of one or two digits as the party size (else 2).
    /// </summary>
    private static string BookingArguments(string text)
    {
        var time = TimeWords().Match(text);
        var rest = time.Success ? text.Remove(time.Index, time.Length) : text;
        var people = PartySize().Match(rest) is { Success: true } size ? int.Parse(size.Value, CultureInfo.InvariantCulture) : 2;
        return new JsonObject
        {
            ["people"] = Math.Max(people, 1),
            ["time"] = time.Success ? $"{int.Parse(time.Groups[1].Value, CultureInfo.InvariantCulture):00}:{time.Groups[2].Value}" : "20:00",
        }.ToJsonString();
    }

    [GeneratedRegex(@"reserv|\bbook", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BookingWords();

    [GeneratedRegex(@"\b([01]?\d|2[0-3])[:.h]([0-5]\d)\b")]
    private static partial Regex TimeWords();

    [GeneratedRegex(@"\b\d{1,2}\b")]
    private static partial Regex PartySize();
}
