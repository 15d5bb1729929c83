namespace HorizonAI.Sandbox.OpenAIApi;

/// <summary>What a request says about tools, in either API's terms, for <see cref="ToolModel"/>.</summary>
/// <param name="OfferedTools">The names of the function tools offered.</param>
/// <param name="ToolChoice">The <c>tool_choice</c> sent (a named function as JSON text), or null.</param>
/// <param name="LatestOutputs">The outputs this request answers the model's last calls with (name, output), in call order; empty: no follow-up.</param>
/// <param name="OutputsInTurn">The outputs given since the user last wrote, these included.</param>
internal sealed record ToolRequest(
    IReadOnlyList<string> OfferedTools,
    string? ToolChoice,
    IReadOnlyList<(string Name, string Output)> LatestOutputs,
    int OutputsInTurn)
{
    /// <summary>
    /// The text of the user's last message in the turn (for a follow-up, that of the turn it continues): the query of a
    /// <c>search_knowledge</c> call and what its output is searched for.
    /// </summary>
    public string LastUserText { get; init; } = "";

    public bool ChoosesNone => ToolChoice == "none";

    public bool IsFollowUp => LatestOutputs.Count > 0;
}
