using HorizonAI.Gateway.Access.Authorization;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using HorizonAI.Gateway.Access;
using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Gateway.Infrastructure.Validation;
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
        string number, string user, OperatorMessageDocument document, IClusterClient cluster)
    {
        var (botNumber, userNumber) = (number, user); // E.164 already (RouteNumberFilter)

        if (await cluster.GetGrain<IBotGrain>(botNumber).GetAsync() is not { } bot)
        {
            return AdminProblems.NoSuchBot(botNumber);
        }

        var outcome = await cluster.GetGrain<IConversationGrain>(ConversationKey.For(botNumber, bot.Id!, userNumber)).SendOperatorMessageAsync(new OperatorMessage
        {
            UserNumber = userNumber,
            Text = document.Text?.Trim() ?? "",
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
}

/// <summary>The body of an operator's message.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class OperatorMessageDocument : IValidatableObject
{
    [JsonPropertyName("text")]
    [StringLength(OperatorMessageEndpoints.MaxTextLength, ErrorMessage = "text must be at most 4096 characters")]
    public string? Text { get; set; }

    /// <summary>A public URL of an image, a PDF or audio to send; with text of up to 1,024 characters the text is its caption.</summary>
    [JsonPropertyName("media_url")]
    [HttpUrl(OperatorMessageEndpoints.MaxUrlLength, ErrorMessage = "media_url must be a public http(s) URL of at most 2048 characters (Twilio fetches it)")]
    public string? MediaUrl { get; set; }

    /// <summary>Who is writing, as the transcript shows it; <c>operator</c> when absent.</summary>
    [JsonPropertyName("sent_by")]
    [TrimmedLength(1, 100, ErrorMessage = "sent_by must be a name of 1 to 100 characters")]
    public string? SentBy { get; set; }

    public static ValueTask<OperatorMessageDocument> BindAsync(HttpContext context) => JsonBody.ReadAsync<OperatorMessageDocument>(context);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Text) && string.IsNullOrWhiteSpace(MediaUrl))
        {
            yield return new ValidationResult("text or media_url is required", ["text"]);
        }
    }
}

public sealed record OperatorMessageAccepted(
    [property: JsonPropertyName("ids")] long[] Ids,
    [property: JsonPropertyName("status")] string Status)
{
    /// <summary>The bot's re-engagement template, when it went in place of free text after the window closed.</summary>
    [JsonPropertyName("sent_as_template"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SentAsTemplate { get; init; }
}
