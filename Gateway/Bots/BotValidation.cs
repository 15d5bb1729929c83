using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Gateway.Bots;

/// <summary>Checks a <see cref="BotDocument"/> field by field and turns it into a <see cref="BotDefinition"/>.</summary>
public static class BotValidation
{
    public const int MaxInstructionsLength = 256_000;
    public const int MaxDebounceMs = 60_000;

    public static BotDefinition? Validate(BotDocument? document, out Dictionary<string, string[]> errors)
    {
        errors = [];
        if (document is null)
        {
            errors["body"] = ["A bot JSON object is required"];
            return null;
        }

        var e = errors;
        void Add(string field, string message) => e[field] = [message];

        if (string.IsNullOrWhiteSpace(document.Name))
        {
            Add("name", "name is required");
        }
        else if (document.Name.Length > 200)
        {
            Add("name", "name must be at most 200 characters");
        }

        string number = "";
        if (string.IsNullOrWhiteSpace(document.TwilioPhoneNumber))
        {
            Add("twilio_phone_number", "twilio_phone_number is required");
        }
        else if (!PhoneNumberParser.TryNormalize(document.TwilioPhoneNumber, out number))
        {
            Add("twilio_phone_number", "twilio_phone_number must be a phone number in E.164 form, such as +15551111111");
        }

        if (document.AssistantId is { } assistantId && !IsAssistantId(assistantId))
        {
            Add("assistant_id", "assistant_id must be an OpenAI prompt id (pmpt_…) or a legacy assistant id (asst_…)");
        }

        if (document.Instructions is { Length: > MaxInstructionsLength })
        {
            Add("instructions", $"instructions must be at most {MaxInstructionsLength} characters");
        }

        if (document.Model is { } model && (model.Length is 0 or > 100 || model.Any(char.IsWhiteSpace)))
        {
            Add("model", "model must be a model name such as gpt-5-mini");
        }

        if (document.TranscriptionModel is { } transcriptionModel && (transcriptionModel.Length is 0 or > 100 || transcriptionModel.Any(char.IsWhiteSpace)))
        {
            Add("transcription_model", "transcription_model must be a model name such as gpt-4o-mini-transcribe");
        }

        foreach (var (field, keywords) in new[] { ("opt_out_keywords", document.OptOutKeywords), ("opt_in_keywords", document.OptInKeywords) })
        {
            if (keywords is not null && (keywords.Count is 0 or > 20 || keywords.Any(k => string.IsNullOrWhiteSpace(k) || !TextInput.IsStorable(k) || OptOut.Normalize(k).Length is 0 or > 40)))
            {
                Add(field, $"{field} must be a list of 1 to 20 words of at most 40 characters");
            }
        }

        // Compared as a user's message is: a word in both lists would make the same message stop and start.
        if (document.OptOutKeywords is { } stops && document.OptInKeywords is { } starts && !errors.ContainsKey("opt_out_keywords") && !errors.ContainsKey("opt_in_keywords")
            && stops.Select(OptOut.Normalize).Intersect(starts.Select(OptOut.Normalize)).Any())
        {
            Add("opt_in_keywords", "opt_in_keywords must not repeat a word of opt_out_keywords");
        }

        if (document.HandoffKeywords is { } handoffKeywords && (handoffKeywords.Count is 0 or > 20
            || handoffKeywords.Any(k => string.IsNullOrWhiteSpace(k) || !TextInput.IsStorable(k) || OptOut.Normalize(k).Length is 0 or > 40)))
        {
            Add("handoff_keywords", "handoff_keywords must be a list of 1 to 20 words of at most 40 characters");
        }

        if (document.ResetKeyword is { } resetKeyword && (!TextInput.IsStorable(resetKeyword) || OptOut.Normalize(resetKeyword).Length is 0 or > 40))
        {
            Add("reset_keyword", "reset_keyword must be a word of at most 40 characters, such as /reset");
        }

        if (document.HandoffWebhookUrl is { } hook && (hook.Length > 2048 || !Uri.TryCreate(hook, UriKind.Absolute, out var hookUrl)
            || (hookUrl.Scheme != Uri.UriSchemeHttps && hookUrl.Scheme != Uri.UriSchemeHttp) || hook.Any(char.IsWhiteSpace)))
        {
            Add("handoff_webhook_url", "handoff_webhook_url must be an http(s) URL of at most 2048 characters");
        }

        if (!string.IsNullOrWhiteSpace(document.HandoffWebhookUrl) && (document.HandoffWebhookSecret is null || document.HandoffWebhookSecret.Trim().Length is < 16 or > 200
            || !TextInput.IsStorable(document.HandoffWebhookSecret)))
        {
            Add("handoff_webhook_secret", "handoff_webhook_secret of 16 to 200 characters is required with handoff_webhook_url (it signs the notices)");
        }

        ValidateTemplates(document, Add);

        if (document.AutoResumeMinutes is < 1 or > 10_080)
        {
            Add("auto_resume_minutes", "auto_resume_minutes must be between 1 and 10080 (a week), or null for never");
        }

        foreach (var (field, message) in new[]
        {
            ("opt_out_message", document.OptOutMessage), ("opt_in_message", document.OptInMessage),
            ("handoff_message", document.HandoffMessage), ("reset_message", document.ResetMessage),
        })
        {
            if (message is { Length: > 1600 })
            {
                Add(field, $"{field} must be at most 1600 characters (one WhatsApp message)");
            }
        }

        if (document.UnreadableMediaMessage is { Length: > 1600 })
        {
            Add("unreadable_media_message", "unreadable_media_message must be at most 1600 characters (one WhatsApp message)");
        }

        if (document.DebounceMs is < 0 or > MaxDebounceMs)
        {
            Add("debounce_ms", $"debounce_ms must be between 0 and {MaxDebounceMs}");
        }

        if (document.FallbackMessage is { Length: > 1600 })
        {
            Add("fallback_message", "fallback_message must be at most 1600 characters (one WhatsApp message)");
        }

        if (document.Metadata is { } metadata)
        {
            if (metadata.Count > 100 || metadata.Any(kv => kv.Key.Length > 200 || kv.Value is null || kv.Value.Length > 2000))
            {
                Add("metadata", "metadata must be an object of at most 100 string values");
            }
        }

        foreach (var (field, value) in new[]
        {
            ("name", document.Name), ("instructions", document.Instructions), ("model", document.Model),
            ("assistant_id", document.AssistantId), ("fallback_message", document.FallbackMessage),
            ("transcription_model", document.TranscriptionModel), ("unreadable_media_message", document.UnreadableMediaMessage),
            ("opt_out_message", document.OptOutMessage), ("opt_in_message", document.OptInMessage),
            ("handoff_message", document.HandoffMessage), ("reset_message", document.ResetMessage),
        })
        {
            if (!TextInput.IsStorable(value))
            {
                Add(field, $"{field} contains a NUL character or invalid UTF-16");
            }
        }

        if (document.Metadata?.Any(kv => !TextInput.IsStorable(kv.Key) || !TextInput.IsStorable(kv.Value)) == true)
        {
            Add("metadata", "metadata contains a NUL character or invalid UTF-16");
        }

        if (document.Id is not null && !BotIds.IsValid(document.Id))
        {
            Add("id", "id must be a bot id as the server set it (bot_ and lower-case letters and digits), or absent for a new bot");
        }

        if (errors.Count > 0)
        {
            return null;
        }

        return new BotDefinition
        {
            Id = document.Id,
            Name = document.Name!.Trim(),
            PhoneNumber = number,
            AssistantId = NullIfBlank(document.AssistantId),
            Instructions = NullIfBlank(document.Instructions),
            Model = NullIfBlank(document.Model),
            Enabled = document.Enabled ?? true,
            DebounceMs = document.DebounceMs ?? 0,
            FallbackMessage = NullIfBlank(document.FallbackMessage),
            TypingIndicator = document.TypingIndicator ?? true,
            Metadata = document.Metadata is null ? [] : new Dictionary<string, string>(document.Metadata),
            TranscriptionModel = NullIfBlank(document.TranscriptionModel),
            UnreadableMediaMessage = NullIfBlank(document.UnreadableMediaMessage),
            OptOutKeywords = document.OptOutKeywords?.Select(k => k.Trim()).ToArray(),
            OptInKeywords = document.OptInKeywords?.Select(k => k.Trim()).ToArray(),
            OptOutMessage = NullIfBlank(document.OptOutMessage),
            OptInMessage = NullIfBlank(document.OptInMessage),
            HandoffKeywords = document.HandoffKeywords?.Select(k => k.Trim()).ToArray(),
            HandoffTool = document.HandoffTool ?? false,
            HandoffMessage = NullIfBlank(document.HandoffMessage),
            HandoffWebhookUrl = NullIfBlank(document.HandoffWebhookUrl),
            HandoffWebhookSecret = NullIfBlank(document.HandoffWebhookUrl) is null ? null : document.HandoffWebhookSecret!.Trim(),
            AutoResumeMinutes = document.AutoResumeMinutes,
            ResetKeyword = NullIfBlank(document.ResetKeyword)?.Trim(),
            ResetMessage = NullIfBlank(document.ResetMessage),
            Templates = [.. (document.Templates ?? []).Select(t => new MessageTemplate(t.Name!, t.ContentSid!, t.Language!, [.. t.Variables ?? []]))],
            ReengagementTemplate = NullIfBlank(document.ReengagementTemplate),
            SendRatePerSecond = document.SendRatePerSecond,
        };
    }

    public const int MaxTemplates = 100;
    public const int MaxSendRatePerSecond = 1000;

    private static void ValidateTemplates(BotDocument document, Action<string, string> add)
    {
        var templates = document.Templates ?? [];
        if (templates.Count > MaxTemplates)
        {
            add("templates", $"templates must list at most {MaxTemplates} templates");
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < templates.Count; i++)
        {
            var template = templates[i];
            var field = $"templates[{i}]";
            if (template is null || template.Name is not { Length: >= 1 and <= 64 } name || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                add(field + ".name", "name must be 1 to 64 lower-case letters, digits or underscores, such as booking_reminder");
            }
            else if (!names.Add(name))
            {
                add(field + ".name", $"two templates are named {name}");
            }

            if (template?.ContentSid is not { Length: 34 } sid || !sid.StartsWith("HX", StringComparison.Ordinal) || !sid[2..].All(char.IsAsciiHexDigit))
            {
                add(field + ".content_sid", "content_sid must be the template's Twilio Content SID, HX and 32 hex digits");
            }

            if (template?.Language is not { Length: >= 2 and <= 10 } language || !language.All(c => char.IsAsciiLetter(c) || c == '_' || c == '-'))
            {
                add(field + ".language", "language must be a language code such as es, en or pt_BR");
            }

            var variables = template?.Variables ?? [];
            if (variables.Count > 20 || variables.Any(v => v is not { Length: >= 1 and <= 40 } || !v.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                || variables.Distinct(StringComparer.Ordinal).Count() != variables.Count)
            {
                add(field + ".variables", "variables must be up to 20 distinct names of letters, digits or underscores, in placeholder order");
            }
        }

        if (document.ReengagementTemplate is { } reengagement && !templates.Any(t => t?.Name == reengagement && (t.Variables ?? []).Count == 0))
        {
            add("reengagement_template", "reengagement_template must name one of the bot's templates, one without variables (it goes in place of an operator's text)");
        }

        if (document.SendRatePerSecond is < 1 or > MaxSendRatePerSecond)
        {
            add("send_rate_per_second", $"send_rate_per_second must be between 1 and {MaxSendRatePerSecond}, or null for the platform's rate");
        }
    }

    public static List<string>? Warnings(string? assistantId) =>
        assistantId?.StartsWith("asst_", StringComparison.Ordinal) == true
            ? ["assistant_id asst_… refers to the OpenAI Assistants API, which was shut down on 2026-08-26; this bot runs on its instructions and model through the Responses API"]
            : null;

    private static bool IsAssistantId(string value) =>
        value.Length is > 5 and <= 200
        && (value.StartsWith("pmpt_", StringComparison.Ordinal) || value.StartsWith("asst_", StringComparison.Ordinal))
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
