namespace HorizonAI.Sandbox.OpenAIApi;

/// <summary>What <see cref="ToolModel"/> decided: function calls, a fixed text, or (neither) the ordinary reply.</summary>
internal sealed record ToolAnswer(IReadOnlyList<RequestedCall> Calls, string? Text)
{
    public static readonly ToolAnswer OrdinaryReply = new([], null);
}
