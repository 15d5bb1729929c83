namespace HorizonAI.Grains.Interfaces;

/// <summary>
/// Handing a conversation to a person and back, and starting it over: the triggers a bot may set and what the user is
/// told. Keywords compare as <see cref="OptOut"/>'s do: the whole message, whatever its case, accents or punctuation.
/// </summary>
public static class Handoff
{
    public const string DefaultHandoffMessage = "A person from our team will answer you here shortly.";
    public const string DefaultResetMessage = "Let us start over. How can I help you?";

    /// <summary>The assistant's tool: it calls it, with a reason, when the user needs a person.</summary>
    public const string ToolName = "request_human";

    public const string ToolDescription =
        "Hand this conversation to a person of the business's staff when the user asks for one or needs what you cannot give (a complaint, a decision, a prescription question). The user is told a person will answer.";

    /// <summary>What started a handoff: an operator (admin API or console), the user's keyword, or the assistant's tool call.</summary>
    public const string ByAdmin = "admin";
    public const string ByKeyword = "keyword";
    public const string ByAssistant = "assistant";

    /// <summary>What ended one: an operator, or the bot's idle time without an operator's message.</summary>
    public const string ResumedByAdmin = "admin";
    public const string ResumedByIdleTime = "auto_resume";

    public static bool IsRequest(BotDefinition bot, string body) => bot.HandoffKeywords is { Length: > 0 } keywords && OptOut.Matches(body, keywords);

    public static bool IsReset(BotDefinition bot, string body) => bot.ResetKeyword is { Length: > 0 } keyword && OptOut.Matches(body, [keyword]);

    public static string HandoffMessage(BotDefinition bot) => string.IsNullOrWhiteSpace(bot.HandoffMessage) ? DefaultHandoffMessage : bot.HandoffMessage;

    public static string ResetMessage(BotDefinition bot) => string.IsNullOrWhiteSpace(bot.ResetMessage) ? DefaultResetMessage : bot.ResetMessage;
}

/// <summary>An operator takes the conversation over (<see cref="Human"/>) or gives it back to the bot.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.conversation-mode-change")]
public sealed record ConversationModeChange
{
    /// <summary>E.164 number of the end user (checked against the conversation's key).</summary>
    [Id(0)] public required string UserNumber { get; init; }

    [Id(1)] public required bool Human { get; init; }

    /// <summary>Who made the change, as logs, the transcript list and the webhook show it.</summary>
    [Id(2)] public required string By { get; init; }

    [Id(3)] public string? Reason { get; init; }

    /// <summary>On giving back: the bot answers the messages held during human mode (otherwise they stay unanswered).</summary>
    [Id(4)] public bool AnswerHeld { get; init; }
}

/// <summary>A conversation's mode after a change.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.conversation-control")]
public sealed record ConversationControl
{
    /// <summary><c>bot</c> or <c>human</c>.</summary>
    [Id(0)] public required string Mode { get; init; }

    [Id(1)] public DateTimeOffset? HumanSince { get; init; }

    /// <summary>What started the handoff (<see cref="Handoff.ByAdmin"/>, <see cref="Handoff.ByKeyword"/>, <see cref="Handoff.ByAssistant"/>).</summary>
    [Id(2)] public string? Trigger { get; init; }

    [Id(3)] public string? Reason { get; init; }

    [Id(4)] public string? By { get; init; }

    /// <summary>On giving back with <see cref="ConversationModeChange.AnswerHeld"/>: how many held messages the bot now answers.</summary>
    [Id(5)] public int Reopened { get; init; }
}
