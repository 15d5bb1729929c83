using HorizonAI.Grains.Tools;

namespace HorizonAI.Grains.Assistants;

/// <summary>What both assistants share of the function-call loop.</summary>
internal static class ToolRounds
{
    /// <summary>
    /// Responses after which a turn stops even if the model still calls tools (one that ignores being told to answer
    /// without them): each response may call at most the turn's calls, and one more answers without tools.
    /// </summary>
    public static int Max(TurnTools? tools) => (tools?.MaxCalls ?? 0) + 2;

    /// <summary>The outputs of one response's calls: run by the platform, or, with no tools of the business, each an unknown tool.</summary>
    public static async Task<IReadOnlyList<ToolOutput>> RunAsync(TurnTools? tools, IReadOnlyList<ModelCall> calls, CancellationToken cancellationToken) =>
        tools is null
            ? [.. calls.Select(c => new ToolOutput(c.CallId, ToolResult.Error("unknown tool")))]
            : await tools.RunAsync(calls, cancellationToken);
}

/// <summary>The tokens of every response of a turn, added up.</summary>
internal sealed class TokenTally
{
    private int _input;
    private int _output;
    private int _cached;

    public void Add(int? input, int? output, int? cached)
    {
        _input += input ?? 0;
        _output += output ?? 0;
        _cached += cached ?? 0;
    }

    public AssistantReply Reply(string text) => new(text, _input, _output, _cached);
}
