using System.Text.Json.Serialization;
using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Gateway.Bots;

/// <summary>The bot JSON of the admin API and of backups (the seed's snake_case field names).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class BotDocument
{
    /// <summary>
    /// The bot's own identity (<c>bot_…</c>), set by the server; its data belongs to it. Absent on input: a new bot. A
    /// restore carries it back: the id of a deleted bot of the same number re-attaches that bot's data; an id that is
    /// another bot's, or was another number's, is refused.
    /// </summary>
    [JsonPropertyName("id")] public string? Id { get; set; }

    [JsonPropertyName("name")] public string? Name { get; set; }

    [JsonPropertyName("twilio_phone_number")] public string? TwilioPhoneNumber { get; set; }

    [JsonPropertyName("assistant_id")] public string? AssistantId { get; set; }

    [JsonPropertyName("instructions")] public string? Instructions { get; set; }

    [JsonPropertyName("model")] public string? Model { get; set; }

    [JsonPropertyName("enabled")] public bool? Enabled { get; set; }

    [JsonPropertyName("debounce_ms")] public int? DebounceMs { get; set; }

    [JsonPropertyName("fallback_message")] public string? FallbackMessage { get; set; }

    [JsonPropertyName("typing_indicator")] public bool? TypingIndicator { get; set; }

    [JsonPropertyName("metadata")] public Dictionary<string, string>? Metadata { get; set; }

    /// <summary>The model that transcribes voice notes; null: OPENAI_TRANSCRIPTION_MODEL.</summary>
    [JsonPropertyName("transcription_model")] public string? TranscriptionModel { get; set; }

    /// <summary>The answer to a file the bot cannot read; null: MEDIA_UNREADABLE_MESSAGE.</summary>
    [JsonPropertyName("unreadable_media_message")] public string? UnreadableMediaMessage { get; set; }

    /// <summary>Words with which a user stops the bot's messages; null: STOP, STOPALL, UNSUBSCRIBE, CANCEL, BAJA.</summary>
    [JsonPropertyName("opt_out_keywords")] public List<string>? OptOutKeywords { get; set; }

    /// <summary>Words with which a user starts them again; null: START, UNSTOP, ALTA.</summary>
    [JsonPropertyName("opt_in_keywords")] public List<string>? OptInKeywords { get; set; }

    [JsonPropertyName("opt_out_message")] public string? OptOutMessage { get; set; }

    [JsonPropertyName("opt_in_message")] public string? OptInMessage { get; set; }

    /// <summary>Words with which a user asks for a person, e.g. ["humano", "agent"]; null: none.</summary>
    [JsonPropertyName("handoff_keywords")] public List<string>? HandoffKeywords { get; set; }

    /// <summary>Whether the assistant may hand the conversation to a person itself (the request_human tool); default false.</summary>
    [JsonPropertyName("handoff_tool")] public bool? HandoffTool { get; set; }

    /// <summary>What the user is told when a person takes over after a keyword or the assistant's call; null: the platform's.</summary>
    [JsonPropertyName("handoff_message")] public string? HandoffMessage { get; set; }

    /// <summary>An https URL the platform POSTs each handoff to, signed with <see cref="HandoffWebhookSecret"/>; null: none.</summary>
    [JsonPropertyName("handoff_webhook_url")] public string? HandoffWebhookUrl { get; set; }

    /// <summary>The HMAC-SHA256 key of the webhook's X-HorizonAI-Signature; required with a webhook URL.</summary>
    [JsonPropertyName("handoff_webhook_secret")] public string? HandoffWebhookSecret { get; set; }

    /// <summary>Minutes without an operator's message after which human mode ends by itself; null: never.</summary>
    [JsonPropertyName("auto_resume_minutes")] public int? AutoResumeMinutes { get; set; }

    /// <summary>A word with which the user starts a new assistant conversation, e.g. "/reset"; null: none.</summary>
    [JsonPropertyName("reset_keyword")] public string? ResetKeyword { get; set; }

    [JsonPropertyName("reset_message")] public string? ResetMessage { get; set; }

    /// <summary>Approved WhatsApp templates: what may be sent outside the 24-hour window (proactive messages, campaigns).</summary>
    [JsonPropertyName("templates")] public List<TemplateDocument>? Templates { get; set; }

    /// <summary>The template sent instead of an operator's free text once the window has closed; null: such a message is refused.</summary>
    [JsonPropertyName("reengagement_template")] public string? ReengagementTemplate { get; set; }

    /// <summary>Messages per second campaigns send from this number (Twilio's per-sender limit); null: OUTBOUND_RATE_PER_SECOND.</summary>
    [JsonPropertyName("send_rate_per_second")] public int? SendRatePerSecond { get; set; }

    /// <summary>Set by the server; ignored on input.</summary>
    [JsonPropertyName("created_at")] public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>Set by the server; ignored on input.</summary>
    [JsonPropertyName("updated_at")] public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Notes about the configuration (e.g. a legacy <c>asst_…</c> id); ignored on input so backups restore.</summary>
    [JsonPropertyName("warnings")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Warnings { get; set; }

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
        CreatedAt = bot.CreatedAt,
        UpdatedAt = bot.UpdatedAt,
        Warnings = BotValidation.Warnings(bot.AssistantId),
    };
}

/// <summary>An approved template: <c>{"name": "booking_reminder", "content_sid": "HX…", "language": "es", "variables": ["name", "time"]}</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class TemplateDocument
{
    /// <summary>How the API and campaigns name it: lower-case letters, digits and underscores.</summary>
    [JsonPropertyName("name")] public string? Name { get; set; }

    /// <summary>Twilio's Content SID of the approved template, HX and 32 hex digits.</summary>
    [JsonPropertyName("content_sid")] public string? ContentSid { get; set; }

    [JsonPropertyName("language")] public string? Language { get; set; }

    /// <summary>The names of its variables, in the order of its placeholders {{1}}, {{2}}…</summary>
    [JsonPropertyName("variables")] public List<string>? Variables { get; set; }
}
