using HorizonAI.Gateway.Access.Authorization;
using System.Text.Json.Serialization;
using HorizonAI.Gateway.Access;
using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HorizonAI.Gateway.Conversations;

/// <summary>
/// <c>POST /bots/{number}/conversations/{user}/messages</c>: a person writes to the user as the bot. The message is
/// committed to the conversation's outbox behind what is there (never inside a reply of the bot) and delivered,
/// retried and tracked like the bot's replies; the transcript names who sent it.
/// </summary>
public static class OperatorMessageEndpoints
{
    /// <summary>WhatsApp's limit for one message's text; longer text is split into Twilio-sized parts.</summary>
    public const int MaxTextLength = 4096;

    public const int MaxUrlLength = 2048;

    public const string DefaultSentBy = "operator";

    public static RouteHandlerBuilder MapOperatorMessages(this RouteGroupBuilder group) =>
        group.MapPost("/conversations/{user}/messages", SendAsync).WithName("SendOperatorMessage")
            .Accepts<OperatorMessageDocument>("application/json").RequireRole(ApiKeyRoles.Operate);

    public static async Task<Results<Accepted<OperatorMessageAccepted>, NotFound<ProblemDetailsBody>, Conflict<ProblemDetailsBody>, ValidationProblem>> SendAsync(
        string number, string user, HttpRequest request, IClusterClient cluster)
    {
        var botNumber = number; // E.164 already (RouteNumberFilter)

        if (!PhoneNumberParser.TryNormalize(user, out var userNumber))
        {
            return AdminProblems.Invalid("user", "user must be a phone number such as +56912345678");
        }

        var (document, error) = await AdminJson.ReadAsync<OperatorMessageDocument>(request);
        if (error is not null)
        {
            return error;
        }

        var errors = Validate(document!);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (await cluster.GetGrain<IBotGrain>(botNumber).GetAsync() is not { } bot)
        {
            return AdminProblems.NoSuchBot(botNumber);
        }

        var outcome = await cluster.GetGrain<IConversationGrain>(ConversationKey.For(botNumber, bot.Id!, userNumber)).SendOperatorMessageAsync(new OperatorMessage
        {
            UserNumber = userNumber,
            Text = document!.Text?.Trim() ?? "",
            MediaUrl = string.IsNullOrWhiteSpace(document.MediaUrl) ? null : document.MediaUrl.Trim(),
            SentBy = string.IsNullOrWhiteSpace(document.SentBy) ? DefaultSentBy : document.SentBy.Trim(),
        });
        if (Refused(outcome) is { } refused)
        {
            return refused;
        }

        return TypedResults.Accepted($"/bots/{botNumber}/conversations/{Uri.EscapeDataString(userNumber)}",
            new OperatorMessageAccepted(outcome.Ids, "pending") { SentAsTemplate = outcome.SentAsTemplate });
    }

    /// <summary>409 for a user who opted out, or free text once the 24-hour window has closed; null when it was queued.</summary>
    public static Conflict<ProblemDetailsBody>? Refused(OutboundOutcome outcome) => outcome.Refusal switch
    {
        null => null,
        OutboundOutcome.OptedOut => TypedResults.Conflict(new ProblemDetailsBody(StatusCodes.Status409Conflict, "The user has opted out of this bot's messages",
            "Nothing is sent to them until they write a start keyword (START, ALTA…).")),
        _ => TypedResults.Conflict(new ProblemDetailsBody(StatusCodes.Status409Conflict,
            "The 24-hour window is closed: free text can only be sent within 24 hours of the user's last message",
            (outcome.LastInboundAt is { } last ? $"The user last wrote at {last:u}. " : "The user has never written to this bot. ")
            + "Send one of the bot's templates (POST /bots/{number}/outbound with \"template\"), or give the bot a reengagement_template.")),
    };

    private static Dictionary<string, string[]> Validate(OperatorMessageDocument document)
    {
        var errors = new Dictionary<string, string[]>();
        var hasMedia = !string.IsNullOrWhiteSpace(document.MediaUrl);
        if (string.IsNullOrWhiteSpace(document.Text) && !hasMedia)
        {
            errors["text"] = ["text or media_url is required"];
        }
        else if (document.Text is { Length: > MaxTextLength })
        {
            errors["text"] = [$"text must be at most {MaxTextLength} characters"];
        }
        else if (!TextInput.IsStorable(document.Text))
        {
            errors["text"] = ["text contains a NUL character or invalid UTF-16"];
        }

        if (hasMedia && (document.MediaUrl!.Trim().Length > MaxUrlLength
            || !Uri.TryCreate(document.MediaUrl.Trim(), UriKind.Absolute, out var url)
            || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
            || document.MediaUrl.Trim().Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            || !TextInput.IsStorable(document.MediaUrl)))
        {
            errors["media_url"] = [$"media_url must be a public http(s) URL of at most {MaxUrlLength} characters (Twilio fetches it)"];
        }

        if (document.SentBy is { } sentBy && (sentBy.Trim().Length is 0 or > 100 || !TextInput.IsStorable(sentBy)))
        {
            errors["sent_by"] = ["sent_by must be a name of 1 to 100 characters"];
        }

        return errors;
    }
}

/// <summary>The body of an operator's message.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class OperatorMessageDocument
{
    [JsonPropertyName("text")] public string? Text { get; set; }

    /// <summary>A public URL of an image, a PDF or audio to send; with text of up to 1,024 characters the text is its caption.</summary>
    [JsonPropertyName("media_url")] public string? MediaUrl { get; set; }

    /// <summary>Who is writing, as the transcript shows it; <c>operator</c> when absent.</summary>
    [JsonPropertyName("sent_by")] public string? SentBy { get; set; }
}

public sealed record OperatorMessageAccepted(
    [property: JsonPropertyName("ids")] long[] Ids,
    [property: JsonPropertyName("status")] string Status)
{
    /// <summary>The bot's re-engagement template, when it went in place of free text after the window closed.</summary>
    [JsonPropertyName("sent_as_template"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SentAsTemplate { get; init; }
}
