using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Gateway.Infrastructure.Validation;
using HorizonAI.Gateway.Knowledge;
using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Gateway.Bots;

/// <summary>
/// The bot JSON of the admin API and of backups (the seed's snake_case field names), with the rules a bot's
/// configuration must keep: each field's own beside it, those between fields in <see cref="Validate"/>.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class BotDocument : IValidatableObject
{
    public const int MaxNameLength = 200;
    public const int MaxInstructionsLength = 256_000;
    public const int MaxDebounceMs = 60_000;
    public const int MaxTemplates = 100;
    public const int MaxSendRatePerSecond = 1000;
    public const int MaxAutoResumeMinutes = 10_080;
    public const int MaxRetentionDays = 36_500;
    public const int MaxTools = 32;
    public const int MaxMcpServers = 8;

    /// <summary>WhatsApp's limit for one message: what the bot's own messages (fallback, opt-out…) must fit in.</summary>
    public const int MaxMessageLength = 1600;

    public const int MaxUrlLength = 2048;

    /// <summary>
    /// The bot's own identity (<c>bot_…</c>), set by the server; its data belongs to it. Absent on input: a new bot. A
    /// restore carries it back: the id of a deleted bot of the same number re-attaches that bot's data; an id that is
    /// another bot's, or was another number's, is refused.
    /// </summary>
    [JsonPropertyName("id")]
    [BotId(ErrorMessage = "id must be a bot id as the server set it (bot_ and lower-case letters and digits), or absent for a new bot")]
    public string? Id { get; set; }

    [JsonPropertyName("name")]
    [Required(ErrorMessage = "name is required")]
    [StringLength(MaxNameLength, ErrorMessage = "name must be at most 200 characters")]
    public string? Name { get; set; }

    /// <summary>The bot's WhatsApp number in any spelling; answered in E.164. <c>PUT /bots/{number}</c> takes the URL's when it is left out.</summary>
    [JsonPropertyName("twilio_phone_number")]
    [Required(ErrorMessage = "twilio_phone_number is required")]
    [PhoneNumber(ErrorMessage = "twilio_phone_number must be a phone number in E.164 form, such as +15551111111")]
    public string? TwilioPhoneNumber { get; set; }

    /// <summary>An OpenAI prompt (<c>pmpt_…</c>), or a legacy assistant (<c>asst_…</c>) whose bot runs on its instructions and model.</summary>
    [JsonPropertyName("assistant_id")]
    [MinLength(1, ErrorMessage = AssistantIdRule)]
    [RegularExpression("(pmpt|asst)_[A-Za-z0-9_-]{1,195}", ErrorMessage = AssistantIdRule)]
    public string? AssistantId { get; set; }

    [JsonPropertyName("instructions")]
    [StringLength(MaxInstructionsLength, ErrorMessage = "instructions must be at most 256000 characters")]
    public string? Instructions { get; set; }

    [JsonPropertyName("model")]
    [MinLength(1, ErrorMessage = "model must be a model name such as gpt-5-mini")]
    [RegularExpression(ModelNameRule, ErrorMessage = "model must be a model name such as gpt-5-mini")]
    public string? Model { get; set; }

    [JsonPropertyName("enabled")] public bool? Enabled { get; set; }

    [JsonPropertyName("debounce_ms")]
    [Range(0, MaxDebounceMs, ErrorMessage = "debounce_ms must be between 0 and 60000")]
    public int? DebounceMs { get; set; }

    [JsonPropertyName("fallback_message")]
    [StringLength(MaxMessageLength, ErrorMessage = "fallback_message must be at most 1600 characters (one WhatsApp message)")]
    public string? FallbackMessage { get; set; }

    [JsonPropertyName("typing_indicator")] public bool? TypingIndicator { get; set; }

    [JsonPropertyName("metadata")]
    [StringMap(100, 200, 2000, ErrorMessage = "metadata must be an object of at most 100 string values")]
    public Dictionary<string, string>? Metadata { get; set; }

    /// <summary>The model that transcribes voice notes; null: OPENAI_TRANSCRIPTION_MODEL.</summary>
    [JsonPropertyName("transcription_model")]
    [MinLength(1, ErrorMessage = "transcription_model must be a model name such as gpt-4o-mini-transcribe")]
    [RegularExpression(ModelNameRule, ErrorMessage = "transcription_model must be a model name such as gpt-4o-mini-transcribe")]
    public string? TranscriptionModel { get; set; }

    /// <summary>The answer to a file the bot cannot read; null: MEDIA_UNREADABLE_MESSAGE.</summary>
    [JsonPropertyName("unreadable_media_message")]
    [StringLength(MaxMessageLength, ErrorMessage = "unreadable_media_message must be at most 1600 characters (one WhatsApp message)")]
    public string? UnreadableMediaMessage { get; set; }

    /// <summary>Words with which a user stops the bot's messages; null: STOP, STOPALL, UNSUBSCRIBE, CANCEL, BAJA.</summary>
    [JsonPropertyName("opt_out_keywords")]
    [Keywords(ErrorMessage = "opt_out_keywords must be a list of 1 to 20 words of at most 40 characters")]
    public List<string>? OptOutKeywords { get; set; }

    /// <summary>Words with which a user starts them again; null: START, UNSTOP, ALTA.</summary>
    [JsonPropertyName("opt_in_keywords")]
    [Keywords(ErrorMessage = "opt_in_keywords must be a list of 1 to 20 words of at most 40 characters")]
    public List<string>? OptInKeywords { get; set; }

    [JsonPropertyName("opt_out_message")]
    [StringLength(MaxMessageLength, ErrorMessage = "opt_out_message must be at most 1600 characters (one WhatsApp message)")]
    public string? OptOutMessage { get; set; }

    [JsonPropertyName("opt_in_message")]
    [StringLength(MaxMessageLength, ErrorMessage = "opt_in_message must be at most 1600 characters (one WhatsApp message)")]
    public string? OptInMessage { get; set; }

    /// <summary>Words with which a user asks for a person, e.g. ["humano", "agent"]; null: none.</summary>
    [JsonPropertyName("handoff_keywords")]
    [Keywords(ErrorMessage = "handoff_keywords must be a list of 1 to 20 words of at most 40 characters")]
    public List<string>? HandoffKeywords { get; set; }

    /// <summary>Whether the assistant may hand the conversation to a person itself (the request_human tool); default false.</summary>
    [JsonPropertyName("handoff_tool")] public bool? HandoffTool { get; set; }

    /// <summary>What the user is told when a person takes over after a keyword or the assistant's call; null: the platform's.</summary>
    [JsonPropertyName("handoff_message")]
    [StringLength(MaxMessageLength, ErrorMessage = "handoff_message must be at most 1600 characters (one WhatsApp message)")]
    public string? HandoffMessage { get; set; }

    /// <summary>
    /// An https URL of a public host (or one of TOOL_PRIVATE_HOSTS, over http too) the platform POSTs each handoff to,
    /// signed with <see cref="HandoffWebhookSecret"/>; null: none.
    /// </summary>
    [JsonPropertyName("handoff_webhook_url")]
    [OutboundUrl("handoff_webhook_url", MaxUrlLength)]
    public string? HandoffWebhookUrl { get; set; }

    /// <summary>The HMAC-SHA256 key of the webhook's X-HorizonAI-Signature; required with a webhook URL.</summary>
    [JsonPropertyName("handoff_webhook_secret")] public string? HandoffWebhookSecret { get; set; }

    /// <summary>Minutes without an operator's message after which human mode ends by itself; null: never.</summary>
    [JsonPropertyName("auto_resume_minutes")]
    [Range(1, MaxAutoResumeMinutes, ErrorMessage = "auto_resume_minutes must be between 1 and 10080 (a week), or null for never")]
    public int? AutoResumeMinutes { get; set; }

    /// <summary>A word with which the user starts a new assistant conversation, e.g. "/reset"; null: none.</summary>
    [JsonPropertyName("reset_keyword")]
    [Keyword(ErrorMessage = "reset_keyword must be a word of at most 40 characters, such as /reset")]
    public string? ResetKeyword { get; set; }

    [JsonPropertyName("reset_message")]
    [StringLength(MaxMessageLength, ErrorMessage = "reset_message must be at most 1600 characters (one WhatsApp message)")]
    public string? ResetMessage { get; set; }

    /// <summary>Approved WhatsApp templates: what may be sent outside the 24-hour window (proactive messages, campaigns).</summary>
    [JsonPropertyName("templates")]
    [MaxLength(MaxTemplates, ErrorMessage = "templates must list at most 100 templates")]
    public List<TemplateDocument>? Templates { get; set; }

    /// <summary>The template sent instead of an operator's free text once the window has closed; null: such a message is refused.</summary>
    [JsonPropertyName("reengagement_template")] public string? ReengagementTemplate { get; set; }

    /// <summary>Messages per second campaigns send from this number (Twilio's per-sender limit); null: OUTBOUND_RATE_PER_SECOND.</summary>
    [JsonPropertyName("send_rate_per_second")]
    [Range(1, MaxSendRatePerSecond, ErrorMessage = "send_rate_per_second must be between 1 and 1000, or null for the platform's rate")]
    public int? SendRatePerSecond { get; set; }

    /// <summary>Days after which settled messages (and what was read of their media) are erased; null: kept for ever.</summary>
    [JsonPropertyName("retention_days")]
    [Range(1, MaxRetentionDays, ErrorMessage = "retention_days must be between 1 and 36500, or null to keep every message")]
    public int? RetentionDays { get; set; }

    /// <summary>Functions of the business's own system the assistant may call, each POSTed to its url and signed with <see cref="ToolsSecret"/>.</summary>
    [JsonPropertyName("tools")]
    [MaxLength(MaxTools, ErrorMessage = "tools must list at most 32 tools")]
    public List<ToolDocument>? Tools { get; set; }

    /// <summary>The HMAC-SHA256 key of each tool call's X-HorizonAI-Signature, 32 to 200 characters; required with tools.</summary>
    [JsonPropertyName("tools_secret")] public string? ToolsSecret { get; set; }

    /// <summary>MCP servers (Streamable HTTP) whose tools the assistant may call.</summary>
    [JsonPropertyName("mcp_servers")]
    [MaxLength(MaxMcpServers, ErrorMessage = "mcp_servers must list at most 8 servers")]
    public List<McpServerDocument>? McpServers { get; set; }

    /// <summary>The PostgreSQL text search configuration of the bot's documents (spanish, english, simple…); null: simple.</summary>
    [JsonPropertyName("knowledge_language")]
    [RegularExpression(TextSearchLanguages.Pattern, ErrorMessage = TextSearchLanguages.Rule)]
    public string? KnowledgeLanguage { get; set; }

    /// <summary>OpenAI vector stores the bot also searches (a migrated Assistant's); set by the admin key only, never another bot's.</summary>
    [JsonPropertyName("vector_store_ids")]
    [VectorStoreIds(ErrorMessage = "vector_store_ids must be a list of at most 16 distinct OpenAI vector store ids (vs_…)")]
    public List<string>? VectorStoreIds { get; set; }

    /// <summary>Set by the server; ignored on input.</summary>
    [JsonPropertyName("created_at")] public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>Set by the server; ignored on input.</summary>
    [JsonPropertyName("updated_at")] public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Notes about the configuration (e.g. a legacy <c>asst_…</c> id); ignored on input so backups restore.</summary>
    [JsonPropertyName("warnings")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Warnings { get; set; }

    private const string AssistantIdRule = "assistant_id must be an OpenAI prompt id (pmpt_…) or a legacy assistant id (asst_…)";

    /// <summary>A model's name: 1 to 100 characters, no spaces.</summary>
    private const string ModelNameRule = @"\S{1,100}";

    /// <summary>The request body of <c>POST /bots</c> and <c>PUT /bots/{number}</c> (see <see cref="JsonBody"/>).</summary>
    public static async ValueTask<BotDocument?> BindAsync(HttpContext context)
    {
        var document = await JsonBody.ReadAsync<BotDocument>(context);

        // PUT /bots/{number}: a body that leaves the number out means the URL's (the handler refuses a different one).
        document.TwilioPhoneNumber ??= context.GetRouteValue(RouteNumberFilter.Parameter) as string;
        return document;
    }

    /// <summary>The rules between fields; they are checked once every field is valid on its own.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Compared as a user's message is: a word in both lists would make the same message stop and start.
        if (OptOutKeywords is { } stops && OptInKeywords is { } starts && stops.Select(OptOut.Normalize).Intersect(starts.Select(OptOut.Normalize)).Any())
        {
            yield return new ValidationResult("opt_in_keywords must not repeat a word of opt_out_keywords", ["opt_in_keywords"]);
        }

        if (!string.IsNullOrWhiteSpace(HandoffWebhookUrl) && HandoffWebhookSecret?.Trim().Length is not (>= 16 and <= 200))
        {
            yield return new ValidationResult("handoff_webhook_secret of 16 to 200 characters is required with handoff_webhook_url (it signs the notices)", ["handoff_webhook_secret"]);
        }

        var templates = Templates ?? [];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < templates.Count; i++)
        {
            if (templates[i] is null)
            {
                yield return new ValidationResult("a template must be an object with name, content_sid and language", [$"templates[{i}]"]);
            }
            else if (!names.Add(templates[i].Name!))
            {
                yield return new ValidationResult($"two templates are named {templates[i].Name}", [$"templates[{i}].name"]);
            }
        }

        foreach (var problem in ToolRules())
        {
            yield return problem;
        }

        if (ReengagementTemplate is { } reengagement && !templates.Any(t => t?.Name == reengagement && (t.Variables ?? []).Count == 0))
        {
            yield return new ValidationResult(
                "reengagement_template must name one of the bot's templates, one without variables (it goes in place of an operator's text)", ["reengagement_template"]);
        }
    }

    /// <summary>What holds between the tools, their secret and the MCP servers (each field's own rules are beside it).</summary>
    private IEnumerable<ValidationResult> ToolRules()
    {
        var tools = Tools ?? [];
        if (ToolsSecret is not null && ToolsSecret.Trim().Length is not (>= 32 and <= 200))
        {
            yield return new ValidationResult("tools_secret must be 32 to 200 characters (it signs each tool call)", ["tools_secret"]);
        }
        else if (tools.Count > 0 && string.IsNullOrWhiteSpace(ToolsSecret))
        {
            yield return new ValidationResult("tools_secret of 32 to 200 characters is required with tools (it signs each tool call)", ["tools_secret"]);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tools.Count; i++)
        {
            if (tools[i] is null)
            {
                yield return new ValidationResult("a tool must be an object with name, parameters and url", [$"tools[{i}]"]);
            }
            else if (tools[i].Name == Handoff.ToolName)
            {
                yield return new ValidationResult($"name {Handoff.ToolName} is the platform's own tool (handoff_tool); choose another name", [$"tools[{i}].name"]);
            }
            else if (!names.Add(tools[i].Name!))
            {
                yield return new ValidationResult($"two tools are named {tools[i].Name}", [$"tools[{i}].name"]);
            }
        }

        var servers = McpServers ?? [];
        var labels = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < servers.Count; i++)
        {
            if (servers[i] is null)
            {
                yield return new ValidationResult("an MCP server must be an object with label and url", [$"mcp_servers[{i}]"]);
                continue;
            }

            if (!labels.Add(servers[i].Label!))
            {
                yield return new ValidationResult($"two MCP servers are labelled {servers[i].Label}", [$"mcp_servers[{i}].label"]);
            }

            // What a key below manage is shown in place of a header is no header value: sent back, it would replace the secret.
            if (servers[i].Headers?.FirstOrDefault(h => h.Value == BotEndpoints.Redacted) is { Key: { } hidden })
            {
                yield return new ValidationResult(
                    $"headers.{hidden} is {BotEndpoints.Redacted}, what keys below manage are shown; send the header's real value", [$"mcp_servers[{i}].headers"]);
            }
        }
    }

    /// <summary>The configuration this valid document describes: its number in E.164, blanks as absent, defaults filled in.</summary>
    public BotDefinition ToDefinition()
    {
        var number = PhoneNumberParser.Normalize(TwilioPhoneNumber);
        return new BotDefinition
        {
            Id = Id,
            Name = Name!.Trim(),
            PhoneNumber = number,
            AssistantId = NullIfBlank(AssistantId),
            Instructions = NullIfBlank(Instructions),
            Model = NullIfBlank(Model),
            Enabled = Enabled ?? true,
            DebounceMs = DebounceMs ?? 0,
            FallbackMessage = NullIfBlank(FallbackMessage),
            TypingIndicator = TypingIndicator ?? true,
            Metadata = Metadata is null ? [] : new Dictionary<string, string>(Metadata),
            TranscriptionModel = NullIfBlank(TranscriptionModel),
            UnreadableMediaMessage = NullIfBlank(UnreadableMediaMessage),
            OptOutKeywords = OptOutKeywords?.Select(k => k.Trim()).ToArray(),
            OptInKeywords = OptInKeywords?.Select(k => k.Trim()).ToArray(),
            OptOutMessage = NullIfBlank(OptOutMessage),
            OptInMessage = NullIfBlank(OptInMessage),
            HandoffKeywords = HandoffKeywords?.Select(k => k.Trim()).ToArray(),
            HandoffTool = HandoffTool ?? false,
            HandoffMessage = NullIfBlank(HandoffMessage),
            HandoffWebhookUrl = NullIfBlank(HandoffWebhookUrl)?.Trim(),
            HandoffWebhookSecret = NullIfBlank(HandoffWebhookUrl) is null ? null : HandoffWebhookSecret!.Trim(),
            AutoResumeMinutes = AutoResumeMinutes,
            ResetKeyword = NullIfBlank(ResetKeyword)?.Trim(),
            ResetMessage = NullIfBlank(ResetMessage),
            Templates = [.. (Templates ?? []).Select(t => new MessageTemplate(t.Name!, t.ContentSid!, t.Language!, [.. t.Variables ?? []]))],
            ReengagementTemplate = NullIfBlank(ReengagementTemplate),
            SendRatePerSecond = SendRatePerSecond,
            RetentionDays = RetentionDays,
            Tools = [.. (Tools ?? []).Select(t => t.ToTool())],
            ToolsSecret = NullIfBlank(ToolsSecret)?.Trim(),
            McpServers = [.. (McpServers ?? []).Select(m => m.ToServer())],
            KnowledgeLanguage = NullIfBlank(KnowledgeLanguage) ?? BotDefinition.DefaultKnowledgeLanguage,
            VectorStoreIds = [.. VectorStoreIds ?? []],
        };
    }

    public static BotDocument From(BotDefinition bot) => new()
    {
        Id = bot.Id,
        Name = bot.Name,
        TwilioPhoneNumber = bot.PhoneNumber,
        AssistantId = bot.AssistantId,
        Instructions = bot.Instructions,
        Model = bot.Model,
        Enabled = bot.Enabled,
        DebounceMs = bot.DebounceMs,
        FallbackMessage = bot.FallbackMessage,
        TypingIndicator = bot.TypingIndicator,
        Metadata = new Dictionary<string, string>(bot.Metadata),
        TranscriptionModel = bot.TranscriptionModel,
        UnreadableMediaMessage = bot.UnreadableMediaMessage,
        OptOutKeywords = bot.OptOutKeywords?.ToList(),
        OptInKeywords = bot.OptInKeywords?.ToList(),
        OptOutMessage = bot.OptOutMessage,
        OptInMessage = bot.OptInMessage,
        HandoffKeywords = bot.HandoffKeywords?.ToList(),
        HandoffTool = bot.HandoffTool,
        HandoffMessage = bot.HandoffMessage,
        HandoffWebhookUrl = bot.HandoffWebhookUrl,
        HandoffWebhookSecret = bot.HandoffWebhookSecret,
        AutoResumeMinutes = bot.AutoResumeMinutes,
        ResetKeyword = bot.ResetKeyword,
        ResetMessage = bot.ResetMessage,
        Templates = [.. bot.Templates.Select(t => new TemplateDocument { Name = t.Name, ContentSid = t.ContentSid, Language = t.Language, Variables = [.. t.Variables] })],
        ReengagementTemplate = bot.ReengagementTemplate,
        SendRatePerSecond = bot.SendRatePerSecond,
        RetentionDays = bot.RetentionDays,
        Tools = [.. bot.Tools.Select(ToolDocument.From)],
        ToolsSecret = bot.ToolsSecret,
        McpServers = [.. bot.McpServers.Select(McpServerDocument.From)],
        KnowledgeLanguage = bot.KnowledgeLanguage,
        VectorStoreIds = [.. bot.VectorStoreIds],
        CreatedAt = bot.CreatedAt,
        UpdatedAt = bot.UpdatedAt,
        Warnings = LegacyWarnings(bot.AssistantId),
    };

    private static List<string>? LegacyWarnings(string? assistantId) =>
        assistantId?.StartsWith("asst_", StringComparison.Ordinal) == true
            ? ["assistant_id asst_… refers to the OpenAI Assistants API, which was shut down on 2026-08-26; this bot runs on its instructions and model through the Responses API"]
            : null;

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>An approved template: <c>{"name": "booking_reminder", "content_sid": "HX…", "language": "es", "variables": ["name", "time"]}</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class TemplateDocument
{
    private const string NameRule = "name must be 1 to 64 lower-case letters, digits or underscores, such as booking_reminder";
    private const string ContentSidRule = "content_sid must be the template's Twilio Content SID, HX and 32 hex digits";
    private const string LanguageRule = "language must be a language code such as es, en or pt_BR";

    /// <summary>How the API and campaigns name it: lower-case letters, digits and underscores.</summary>
    [JsonPropertyName("name")]
    [Required(ErrorMessage = NameRule)]
    [RegularExpression("[a-z0-9_]{1,64}", ErrorMessage = NameRule)]
    public string? Name { get; set; }

    /// <summary>Twilio's Content SID of the approved template, HX and 32 hex digits.</summary>
    [JsonPropertyName("content_sid")]
    [Required(ErrorMessage = ContentSidRule)]
    [RegularExpression("HX[0-9A-Fa-f]{32}", ErrorMessage = ContentSidRule)]
    public string? ContentSid { get; set; }

    [JsonPropertyName("language")]
    [Required(ErrorMessage = LanguageRule)]
    [RegularExpression("[A-Za-z_-]{2,10}", ErrorMessage = LanguageRule)]
    public string? Language { get; set; }

    /// <summary>The names of its variables, in the order of its placeholders {{1}}, {{2}}…</summary>
    [JsonPropertyName("variables")]
    [NameList(ErrorMessage = "variables must be up to 20 distinct names of letters, digits or underscores, in placeholder order")]
    public List<string>? Variables { get; set; }
}
