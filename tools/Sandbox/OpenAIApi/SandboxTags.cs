using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HorizonAI.Sandbox.OpenAIApi;

/// <summary>
/// Switches a test puts in the user's text to steer one turn: <c>#long:N</c> (answer exactly N characters),
/// <c>#fail:NNN</c> (answer that HTTP status), <c>#slow:MS</c> (answer after MS milliseconds),
/// <c>#handoff:reason</c> (call the <c>request_human</c> tool with that reason instead of answering, when it is offered),
/// <c>#tool:NAME{…}</c> (call that offered function with those arguments), <c>#unknowntool:NAME{…}</c> (call it even
/// though it is not offered), <c>#toolloop:NAME</c> (call it in every response while it is offered) and
/// <c>#privatecite</c> (cite a file_search hit with the private-use marker instead of <c>【4:0†file】</c>).
/// </summary>
internal readonly partial record struct SandboxTags(int? LongLength, int? FailStatus, int? SlowMs, string? HandoffReason)
{
    public const int MaxLongLength = 200_000;

    /// <summary>The <c>#tool:</c> tags, in the order they appear.</summary>
    public IReadOnlyList<RequestedCall> ToolCalls { get; init; } = [];

    /// <summary>The <c>#unknowntool:</c> tags, in the order they appear.</summary>
    public IReadOnlyList<RequestedCall> UnknownToolCalls { get; init; } = [];

    /// <summary>The function named by <c>#toolloop:</c>, if any.</summary>
    public string? ToolLoop { get; init; }

    /// <summary>Cite a file_search hit as U+E200 <c>filecite</c> U+E202 <c>turn0file0</c> U+E201, as some models write it.</summary>
    public bool PrivateCite { get; init; }

    /// <summary>Whether the text carries any <c>#tool</c>-family tag.</summary>
    public bool HasToolTags => ToolCalls.Count > 0 || UnknownToolCalls.Count > 0 || ToolLoop is not null;

    public static SandboxTags Read(string text) => new(
        Number(LongTag().Match(text)) is { } length ? Math.Clamp(length, 1, MaxLongLength) : null,
        Number(FailTag().Match(text)) is { } status and >= 400 and <= 599 ? status : null,
        Number(SlowTag().Match(text)),
        HandoffTag().Match(text) is { Success: true } handoff ? handoff.Groups[1].Value.Trim() : null)
    {
        ToolCalls = Calls(text, ToolTag()),
        UnknownToolCalls = Calls(text, UnknownToolTag()),
        ToolLoop = ToolLoopTag().Match(text) is { Success: true } loop ? loop.Groups[1].Value : null,
        PrivateCite = text.Contains("#privatecite", StringComparison.Ordinal),
    };

    private static int? Number(Match match) =>
        match.Success && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    private static List<RequestedCall> Calls(string text, Regex tag) =>
        [.. tag.Matches(text).Select(match => new RequestedCall(match.Groups[1].Value, ArgumentsAfter(text, match.Index + match.Length)))];

    /// <summary>The JSON object written right after a tag (<c>#tool:NAME{"a":1}</c>), as written; <c>{}</c> when there is none or it does not parse.</summary>
    private static string ArgumentsAfter(string text, int at)
    {
        if (at >= text.Length || text[at] != '{')
        {
            return "{}";
        }

        var rest = Encoding.UTF8.GetBytes(text[at..]);
        var reader = new Utf8JsonReader(rest);
        try
        {
            using var arguments = JsonDocument.ParseValue(ref reader);
            return arguments.RootElement.GetRawText();
        }
        catch (JsonException)
        {
            return "{}";
        }
    }

    [GeneratedRegex(@"#long:(\d{1,9})")]
    private static partial Regex LongTag();

    [GeneratedRegex(@"#fail:(\d{3})")]
    private static partial Regex FailTag();

    [GeneratedRegex(@"#slow:(\d{1,9})")]
    private static partial Regex SlowTag();

    [GeneratedRegex(@"#handoff(?::([^\n#]*))?")]
    private static partial Regex HandoffTag();

    [GeneratedRegex(@"#tool:([A-Za-z0-9_-]{1,64})")]
    private static partial Regex ToolTag();

    [GeneratedRegex(@"#unknowntool:([A-Za-z0-9_-]{1,64})")]
    private static partial Regex UnknownToolTag();

    [GeneratedRegex(@"#toolloop:([A-Za-z0-9_-]{1,64})")]
    private static partial Regex ToolLoopTag();
}
