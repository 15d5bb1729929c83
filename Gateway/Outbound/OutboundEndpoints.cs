using HorizonAI.Gateway.Access.Authorization;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using HorizonAI.Gateway.Access;
using HorizonAI.Gateway.Conversations;
using HorizonAI.Gateway.Hosting;
using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Gateway.Infrastructure.Validation;
using HorizonAI.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HorizonAI.Gateway.Outbound;

/// <summary>
/// Messages the business starts: <c>POST /bots/{number}/outbound</c> sends one user free text (inside the 24-hour
/// window) or one of the bot's templates (at any time), queued in the user's conversation like an operator's message.
/// </summary>
public static class OutboundEndpoints
{
    public const string DefaultSentBy = "api";

    public static RouteGroupBuilder MapOutboundEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/bots/{number}").WithTags("Outbound").RequireAdminAccess();
        group.MapPost("/outbound", SendAsync).WithName("SendOutboundMessage").Accepts<OutboundDocument>("application/json").RequireRole(ApiKeyRoles.Operate);
        group.MapCampaigns();
        return group;
    }

    public static async Task<Results<Accepted<OperatorMessageAccepted>, NotFound<ProblemDetailsBody>, Conflict<ProblemDetailsBody>, ValidationProblem>> SendAsync(
        string number, OutboundDocument document, IClusterClient cluster)
    {
        var botNumber = number; // E.164 already (RouteNumberFilter)

        if (await cluster.GetGrain<IBotGrain>(botNumber).GetAsync() is not { } bot)
        {
            return AdminProblems.NoSuchBot(botNumber);
        }

        // The document's own rules passed (RequestValidationFilter); these need the bot's templates.
        var userNumber = document.UserNumber;
        var errors = new Dictionary<string, string[]>();
        string[] values = [];
        MessageTemplate? template = null;
        if (document.Template is { } name)
        {
            template = bot.Template(name);
            if (template is null)
            {
                errors["template"] = [$"the bot has no template named {name}"];
            }
            else if (TemplateValues.Read(template, document.Variables, out var problem) is { } read)
            {
                values = read;
            }
            else
            {
                errors["variables"] = [problem!];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var sentBy = string.IsNullOrWhiteSpace(document.SentBy) ? DefaultSentBy : document.SentBy.Trim();

        var conversation = cluster.GetGrain<IConversationGrain>(ConversationKey.For(botNumber, bot.Id!, userNumber));
        var outcome = template is null
            ? await conversation.SendOperatorMessageAsync(new OperatorMessage { UserNumber = userNumber, Text = document.Text!.Trim(), SentBy = sentBy })
            : await conversation.SendTemplateAsync(new TemplateMessage { UserNumber = userNumber, Template = template, Values = values, SentBy = sentBy });
        if (OperatorMessageEndpoints.Refused(outcome) is { } refused)
        {
            return refused;
        }

        return TypedResults.Accepted($"/bots/{botNumber}/conversations/{Uri.EscapeDataString(userNumber)}",
            new OperatorMessageAccepted(outcome.Ids, "pending") { SentAsTemplate = outcome.SentAsTemplate });
    }
}

/// <summary>A template's variables, by name, checked against the template and put in its placeholder order.</summary>
public static class TemplateValues
{
    public const int MaxValueLength = 1024;

    public static string[]? Read(MessageTemplate template, Dictionary<string, string>? variables, out string? problem)
    {
        variables ??= [];
        problem = null;
        if (variables.Keys.FirstOrDefault(k => !template.Variables.Contains(k)) is { } unknown)
        {
            problem = $"template {template.Name} has no variable {unknown} (it has: {string.Join(", ", template.Variables)})";
            return null;
        }

        if (template.Variables.FirstOrDefault(v => string.IsNullOrWhiteSpace(variables.GetValueOrDefault(v))) is { } missing)
        {
            problem = $"variables must give {missing} (template {template.Name} needs: {string.Join(", ", template.Variables)})";
            return null;
        }

        if (variables.Values.Any(v => v.Length > MaxValueLength || !TextInput.IsStorable(v)))
        {
            problem = $"each variable must be at most {MaxValueLength} characters";
            return null;
        }

        return [.. template.Variables.Select(v => variables[v].Trim())];
    }
}

/// <summary>The body of <c>POST /bots/{number}/outbound</c>: free text or a template, to one user.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class OutboundDocument : IValidatableObject
{
    private const string ToRule = "to must be the user's phone number, such as +56912345678";

    /// <summary>The user's number.</summary>
    [JsonPropertyName("to")]
    [Required(ErrorMessage = ToRule)]
    [PhoneNumber(ErrorMessage = ToRule)]
    public string? To { get; set; }

    /// <summary><see cref="To"/> in E.164, once the document is valid.</summary>
    [JsonIgnore] public string UserNumber => PhoneNumberParser.Normalize(To);

    /// <summary>Free text: only within 24 hours of the user's last message.</summary>
    [JsonPropertyName("text")]
    [TrimmedLength(0, OperatorMessageEndpoints.MaxTextLength, ErrorMessage = "text must be at most 4096 characters")]
    public string? Text { get; set; }

    /// <summary>The name of one of the bot's templates: at any time.</summary>
    [JsonPropertyName("template")] public string? Template { get; set; }

    /// <summary>The template's variables by name.</summary>
    [JsonPropertyName("variables")] public Dictionary<string, string>? Variables { get; set; }

    /// <summary>Who sends it, as the transcript shows; <c>api</c> when absent.</summary>
    [JsonPropertyName("sent_by")]
    [TrimmedLength(0, 100, ErrorMessage = "sent_by must be at most 100 characters")]
    public string? SentBy { get; set; }

    public static ValueTask<OutboundDocument> BindAsync(HttpContext context) => JsonBody.ReadAsync<OutboundDocument>(context);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Text) == Template is null)
        {
            yield return new ValidationResult("send either text (inside the 24-hour window) or template (at any time)", ["text"]);
        }
    }
}
