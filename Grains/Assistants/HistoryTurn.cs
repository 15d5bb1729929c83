namespace HorizonAI.Grains.Assistants;

/// <summary>One message of a conversation history that we keep ourselves (Chat Completions servers keep none).</summary>
[GenerateSerializer, Alias("horizonai.history-turn")]
public sealed class HistoryTurn
{
    public const string User = "user";
    public const string Assistant = "assistant";

    [Id(0)] public string Role { get; set; } = User;

    [Id(1)] public string Text { get; set; } = "";
}
