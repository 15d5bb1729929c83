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
/// <c>PUT /bots/{number}/conversations/{user}/mode</c>: a person takes the conversation over (<c>human</c>: the
/// assistant stops answering and the user's messages are held for the operator) or gives it back (<c>bot</c>; with
/// <c>answer_held</c> the bot answers what was held, otherwise it answers only what comes next).
/// </summary>
public static class ConversationModeEndpoints
{
    public static RouteHandlerBuilder MapConversationMode(this RouteGroupBuilder group) =>
        group.MapPut("/conversations/{user}/mode", SetAsync).WithName("SetConversationMode")
            .Accepts<ConversationModeDocument>("application/json").RequireRole(ApiKeyRoles.Operate);

    public static async Task<Results<Ok<ConversationModeResult>, NotFound<ProblemDetailsBody>, ValidationProblem>> SetAsync(
        string number, string user, ConversationModeDocument document, IClusterClient cluster)
    {
        var (botNumber, userNumber) = (number, user); // E.164 already (RouteNumberFilter)

        if (await cluster.GetGrain<IBotGrain>(botNumber).GetAsync() is not { } bot)
        {
            return AdminProblems.NoSuchBot(botNumber);
        }

        var control = await cluster.GetGrain<IConversationGrain>(ConversationKey.For(botNumber, bot.Id!, userNumber)).SetModeAsync(new ConversationModeChange
        {
            UserNumber = userNumber,
            Human = document.Mode == "human",
            By = string.IsNullOrWhiteSpace(document.By) ? OperatorMessageEndpoints.DefaultSentBy : document.By.Trim(),
            Reason = string.IsNullOrWhiteSpace(document.Reason) ? null : document.Reason.Trim(),
            AnswerHeld = document.AnswerHeld ?? false,
        });
        return TypedResults.Ok(new ConversationModeResult(control.Mode, control.HumanSince, control.Trigger, control.Reason, control.By, control.Reopened));
    }
}

/// <summary>The body of <c>PUT /bots/{number}/conversations/{user}/mode</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class ConversationModeDocument : IValidatableObject
{
    /// <summary><c>human</c> (take over) or <c>bot</c> (give back).</summary>
    [JsonPropertyName("mode")]
    [AllowedValues("human", "bot", ErrorMessage = "mode must be human (take over) or bot (give back)")]
    public string? Mode { get; set; }

    [JsonPropertyName("reason")]
    [StringLength(500, ErrorMessage = "reason must be at most 500 characters")]
    public string? Reason { get; set; }

    /// <summary>Who is taking over or giving back; <c>operator</c> when absent.</summary>
    [JsonPropertyName("by")]
    [TrimmedLength(1, 100, ErrorMessage = "by must be a name of 1 to 100 characters")]
    public string? By { get; set; }

    /// <summary>Giving back: the bot answers the messages held during human mode (default false: only new ones).</summary>
    [JsonPropertyName("answer_held")] public bool? AnswerHeld { get; set; }

    public static ValueTask<ConversationModeDocument> BindAsync(HttpContext context) => JsonBody.ReadAsync<ConversationModeDocument>(context);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AnswerHeld == true && Mode == "human")
        {
            yield return new ValidationResult("answer_held applies when giving the conversation back (mode bot)", ["answer_held"]);
        }
    }
}

public sealed record ConversationModeResult(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("human_since")] DateTimeOffset? HumanSince,
    [property: JsonPropertyName("handoff_trigger")] string? HandoffTrigger,
    [property: JsonPropertyName("handoff_reason")] string? HandoffReason,
    [property: JsonPropertyName("handoff_by")] string? HandoffBy,
    [property: JsonPropertyName("reopened")] int Reopened);
