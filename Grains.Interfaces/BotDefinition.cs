namespace HorizonAI.Grains.Interfaces;

/// <summary>One client business's bot: its WhatsApp number, its assistant and how it answers.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.bot-definition")]
public sealed record BotDefinition
{
    [Id(0)] public required string Name { get; init; }

    /// <summary>E.164, e.g. <c>+15551111111</c>; also the bot grain's key.</summary>
    [Id(1)] public required string PhoneNumber { get; init; }

    /// <summary><c>pmpt_…</c> (an OpenAI prompt), a legacy <c>asst_…</c>, or null.</summary>
    [Id(2)] public string? AssistantId { get; init; }

    [Id(3)] public string? Instructions { get; init; }

    [Id(4)] public string? Model { get; init; }

    [Id(5)] public bool Enabled { get; init; } = true;

    [Id(6)] public int DebounceMs { get; init; }

    [Id(7)] public string? FallbackMessage { get; init; }

    [Id(8)] public Dictionary<string, string> Metadata { get; init; } = [];

    /// <summary>Whether the bot shows WhatsApp's typing indicator while it works on an answer.</summary>
    [Id(9)] public bool TypingIndicator { get; init; } = true;

    [Id(10)] public DateTimeOffset CreatedAt { get; init; }

    [Id(11)] public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The model that transcribes this bot's voice notes; null: the platform's default.</summary>
    [Id(12)] public string? TranscriptionModel { get; init; }

    /// <summary>The answer to a file that cannot be read (an unsupported type, too large, gone); null: the platform's default.</summary>
    [Id(13)] public string? UnreadableMediaMessage { get; init; }

    /// <summary>Words with which a user stops this bot's messages; null: the platform's (STOP, BAJA, UNSUBSCRIBE…).</summary>
    [Id(14)] public string[]? OptOutKeywords { get; init; }

    /// <summary>Words with which a user who stopped them starts them again; null: the platform's (START, ALTA…).</summary>
    [Id(15)] public string[]? OptInKeywords { get; init; }

    /// <summary>The one confirmation of an opt-out; null: the platform's.</summary>
    [Id(16)] public string? OptOutMessage { get; init; }

    /// <summary>The confirmation of an opt-in; null: the platform's.</summary>
    [Id(17)] public string? OptInMessage { get; init; }

    /// <summary>Words with which a user asks for a person (e.g. "humano", "agent"); null: none.</summary>
    [Id(18)] public string[]? HandoffKeywords { get; init; }

    /// <summary>Whether the assistant is offered the <c>request_human</c> tool, to hand the conversation to a person itself.</summary>
    [Id(19)] public bool HandoffTool { get; init; }

    /// <summary>What the user is told when the conversation passes to a person; null: the platform's.</summary>
    [Id(20)] public string? HandoffMessage { get; init; }

    /// <summary>Where the business hears of each handoff (a signed POST); null: nowhere.</summary>
    [Id(21)] public string? HandoffWebhookUrl { get; init; }

    /// <summary>The key of the HMAC that signs the webhook's posts.</summary>
    [Id(22)] public string? HandoffWebhookSecret { get; init; }

    /// <summary>Minutes without an operator's message after which a conversation in human mode returns to the bot; null: never.</summary>
    [Id(23)] public int? AutoResumeMinutes { get; init; }

    /// <summary>The word with which a user starts a new assistant conversation (e.g. "/reset"); null: none.</summary>
    [Id(24)] public string? ResetKeyword { get; init; }

    /// <summary>The answer to the reset keyword; null: the platform's.</summary>
    [Id(25)] public string? ResetMessage { get; init; }

    /// <summary>Approved WhatsApp templates (Twilio Content API), by name: what may be sent outside the 24-hour window.</summary>
    [Id(26)] public MessageTemplate[] Templates { get; init; } = [];

    /// <summary>The template sent in place of an operator's free text once the window has closed; null: refuse it.</summary>
    [Id(27)] public string? ReengagementTemplate { get; init; }

    /// <summary>Messages per second campaigns may send from this number (Twilio's per-sender limit); null: the platform's.</summary>
    [Id(28)] public int? SendRatePerSecond { get; init; }

    /// <summary>
    /// The bot's own identity (<c>bot_…</c>), set by the server: its conversations, messages, usage and keys' scopes
    /// belong to it, not to its number. A restore that carries the id of a deleted bot of the same number re-attaches
    /// that bot's data; null on input means a new bot.
    /// </summary>
    [Id(29)] public string? Id { get; init; }

    /// <summary>
    /// Which save of the configuration this is (1 when created, one more on each update), set by the bot grain: the
    /// configuration travels with the messages the bot forwards, and a conversation keeps the newest it has seen.
    /// </summary>
    [Id(30)] public long Version { get; init; } = 1;

    /// <summary>Days after which settled messages (and what was read of their media) are erased; null: kept for ever.</summary>
    [Id(31)] public int? RetentionDays { get; init; }

    /// <summary>Functions of the business's own system the assistant may call (SPEC §10).</summary>
    [Id(32)] public FunctionTool[] Tools { get; init; } = [];

    /// <summary>The key of the HMAC that signs each tool call (at least 32 characters); a secret.</summary>
    [Id(33)] public string? ToolsSecret { get; init; }

    /// <summary>MCP servers whose tools the assistant may call.</summary>
    [Id(34)] public McpServer[] McpServers { get; init; } = [];

    /// <summary>The PostgreSQL text search configuration of the bot's documents (<c>simple</c>, <c>spanish</c>, <c>english</c>…).</summary>
    [Id(35)] public string KnowledgeLanguage { get; init; } = DefaultKnowledgeLanguage;

    /// <summary>OpenAI vector stores the bot also searches (a migrated Assistant's); set by the admin key only, never another bot's.</summary>
    [Id(36)] public string[] VectorStoreIds { get; init; } = [];

    public const string DefaultKnowledgeLanguage = "simple";

    /// <summary>Whether the assistant of this bot is offered any tool of the business (function tools or MCP servers).</summary>
    public bool HasBusinessTools => Tools.Length > 0 || McpServers.Length > 0;

    /// <summary>
    /// Why this bot answers no message (<c>bot_deleted</c> when there is none, <c>bot_disabled</c>), or null when it
    /// answers: the one rule by which a conversation's messages are answered or settled without a reply.
    /// </summary>
    public static string? Refusal(BotDefinition? bot) => bot is null ? "bot_deleted" : bot.Enabled ? null : "bot_disabled";

    public MessageTemplate? Template(string name) => Templates.FirstOrDefault(t => t.Name == name);
}

/// <summary>
/// An approved template: its name here, Twilio's <c>HX…</c> ContentSid, its language, and the names of its variables
/// in order (sent as ContentVariables <c>{"1": …, "2": …}</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("horizonai.message-template")]
public sealed record MessageTemplate(
    [property: Id(0)] string Name,
    [property: Id(1)] string ContentSid,
    [property: Id(2)] string Language,
    [property: Id(3)] string[] Variables);
