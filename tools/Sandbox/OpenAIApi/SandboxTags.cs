using System.Globalization;
using System.Text.RegularExpressions;

namespace HorizonAI.Sandbox.OpenAIApi;

/// <summary>
/// Switches a test puts in the user's text to steer one turn: <c>#long:N</c> (answer exactly N characters),
/// <c>#fail:NNN</c> (answer that HTTP status), <c>#slow:MS</c> (answer after MS milliseconds),
/// <c>#handoff:reason</c> (call the <c>request_human</c> tool with that reason instead of answering, when it is offered).
/// </summary>
internal readonly partial record struct SandboxTags(int? LongLength, int? FailStatus, int? SlowMs, string? HandoffReason)
{
    public const int MaxLongLength = 200_000;

    public static SandboxTags Read(string text) => new(
        Number(LongTag().Match(text)) is { } length ? Math.Clamp(length, 1, MaxLongLength) : null,
        Number(FailTag().Match(text)) is { } status and >= 400 and <= 599 ? status : null,
        Number(SlowTag().Match(text)),
        HandoffTag().Match(text) is { Success: true } handoff ? handoff.Groups[1].Value.Trim() : null);

    private static int? Number(Match match) =>
        match.Success && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    [GeneratedRegex(@"#long:(\d{1,9})")]
    private static partial Regex LongTag();

    [GeneratedRegex(@"#fail:(\d{3})")]
    private static partial Regex FailTag();

    [GeneratedRegex(@"#slow:(\d{1,9})")]
    private static partial Regex SlowTag();

    [GeneratedRegex(@"#handoff(?::([^\n#]*))?")]
    private static partial Regex HandoffTag();
}
