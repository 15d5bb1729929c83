using System.Text.Json.Serialization;
using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Gateway.Bots;

/// <summary>The bot JSON of the admin API and of backups (the seed's snake_case field names).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class BotDocument
{
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
        CreatedAt = bot.CreatedAt,
        UpdatedAt = bot.UpdatedAt,
        Warnings = BotValidation.Warnings(bot.AssistantId),
    };
}
