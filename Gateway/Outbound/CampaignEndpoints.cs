using HorizonAI.Gateway.Access.Authorization;
using System.Security.Cryptography;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using HorizonAI.Gateway.Access;
using HorizonAI.Gateway.Conversations;
using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Gateway.Infrastructure.Validation;
using HorizonAI.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HorizonAI.Gateway.Outbound;

/// <summary>
/// Campaigns: one of the bot's templates to a list of users, paced at the bot number's rate, durable across restarts
/// (each recipient queued once), with progress and per-recipient status, cancelable. Opted-out users are skipped.
/// </summary>
public static class CampaignEndpoints
{
    public const int MaxRecipients = 50_000;

    /// <summary>A campaign of 50,000 recipients with variables is a few MiB.</summary>
    public const int MaxBodyBytes = 16 * 1024 * 1024;

    public static RouteGroupBuilder MapCampaigns(this RouteGroupBuilder group)
    {
        group.MapPost("/campaigns", CreateAsync).WithName("CreateCampaign").Accepts<CampaignDocument>("application/json")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxBodyBytes)).RequireRole(ApiKeyRoles.Manage);
        group.MapGet("/campaigns", ListAsync).WithName("ListCampaigns");
        group.MapGet("/campaigns/{id}", GetAsync).WithName("GetCampaign");
        group.MapGet("/campaigns/{id}/recipients", RecipientsAsync).WithName("ListCampaignRecipients");
        group.MapPost("/campaigns/{id}/cancel", CancelAsync).WithName("CancelCampaign").RequireRole(ApiKeyRoles.Manage);
        return group;
    }

    public static async Task<Results<Created<CampaignView>, NotFound<ProblemDetailsBody>, ValidationProblem>> CreateAsync(
        string number, CampaignDocument document, HttpContext context, IClusterClient cluster)
    {
        var botNumber = number; // E.164 already (RouteNumberFilter)

        if (await cluster.GetGrain<IBotGrain>(botNumber).GetAsync() is not { } bot)
        {
            return AdminProblems.NoSuchBot(botNumber);
        }

        // The document's own rules passed (RequestValidationFilter); these need the bot's template.
        if (bot.Template(document.Template!) is not { } template)
        {
            return AdminProblems.Invalid("template", $"the bot has no template named {document.Template}");
        }

        var recipients = new List<CampaignRecipient>();
        for (var i = 0; i < document.Recipients!.Count; i++)
        {
            var recipient = document.Recipients[i]!;
            if (TemplateValues.Read(template, recipient.Variables, out var problem) is not { } values)
            {
                return AdminProblems.Invalid($"recipients[{i}].variables", problem!);
            }

            recipients.Add(new CampaignRecipient(recipient.UserNumber, values));
        }

        var id = "cmp_" + RandomNumberGenerator.GetHexString(16, lowercase: true);
        var request = new CampaignRequest(id, botNumber, document.Name!.Trim(), template.Name, [.. recipients], AccessPrincipal.Of(context).KeyId);
        await cluster.GetGrain<ICampaignRunnerGrain>(botNumber).CreateAsync(request);
        var summary = await cluster.GetGrain<ICampaignDirectoryGrain>(0).GetAsync(botNumber, id);
        return TypedResults.Created($"/bots/{botNumber}/campaigns/{id}", CampaignView.From(summary!));
    }

    public static async Task<Results<Ok<CampaignView[]>, ValidationProblem>> ListAsync(string number, IClusterClient cluster) =>
        TypedResults.Ok((await cluster.GetGrain<ICampaignDirectoryGrain>(0).ListAsync(number)).Select(CampaignView.From).ToArray());

    public static async Task<Results<Ok<CampaignView>, NotFound<ProblemDetailsBody>, ValidationProblem>> GetAsync(string number, string id, IClusterClient cluster)
    {
        var botNumber = number; // E.164 already (RouteNumberFilter)

        return await cluster.GetGrain<ICampaignDirectoryGrain>(0).GetAsync(botNumber, id) is { } summary
            ? TypedResults.Ok(CampaignView.From(summary))
            : NoSuchCampaign(id);
    }

    public static async Task<Results<Ok<PageDocument<CampaignRecipientView>>, NotFound<ProblemDetailsBody>, ValidationProblem>> RecipientsAsync(
        string number, string id, int? offset, int? limit, IClusterClient cluster)
    {
        var botNumber = number; // E.164 already (RouteNumberFilter)

        if (ConversationEndpoints.PagingProblem(offset, limit) is { } invalid)
        {
            return invalid;
        }

        var directory = cluster.GetGrain<ICampaignDirectoryGrain>(0);
        if (await directory.GetAsync(botNumber, id) is null)
        {
            return NoSuchCampaign(id);
        }

        var page = await directory.RecipientsAsync(botNumber, id, offset ?? 0, limit ?? ConversationEndpoints.DefaultLimit);
        return TypedResults.Ok(new PageDocument<CampaignRecipientView>(
            page.Items.Select(r => new CampaignRecipientView(r.Position, r.UserNumber, r.Status, r.Reason, r.MessageId, r.MessageStatus, r.ErrorCode)).ToArray(),
            page.Total, page.Offset, page.Limit));
    }

    public static async Task<Results<Ok<CampaignView>, NotFound<ProblemDetailsBody>, ValidationProblem>> CancelAsync(string number, string id, IClusterClient cluster)
    {
        var botNumber = number; // E.164 already (RouteNumberFilter)

        return await cluster.GetGrain<ICampaignRunnerGrain>(botNumber).CancelAsync(id) is { } summary
            ? TypedResults.Ok(CampaignView.From(summary))
            : NoSuchCampaign(id);
    }

    private static NotFound<ProblemDetailsBody> NoSuchCampaign(string id) =>
        TypedResults.NotFound(new ProblemDetailsBody(404, $"This bot has no campaign {id}", null));
}

/// <summary>The body of <c>POST /bots/{number}/campaigns</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class CampaignDocument : IValidatableObject
{
    private const string NameRule = "name is required, at most 100 characters";
    private const string RecipientsRule = "recipients must list 1 to 50000 users";

    [JsonPropertyName("name")]
    [Required(ErrorMessage = NameRule)]
    [TrimmedLength(1, 100, ErrorMessage = NameRule)]
    public string? Name { get; set; }

    /// <summary>The name of one of the bot's templates.</summary>
    [JsonPropertyName("template")]
    [Required(ErrorMessage = "template is required (one of the bot's templates)")]
    public string? Template { get; set; }

    [JsonPropertyName("recipients")]
    [Required(ErrorMessage = RecipientsRule)]
    [Length(1, CampaignEndpoints.MaxRecipients, ErrorMessage = RecipientsRule)]
    public List<CampaignRecipientDocument?>? Recipients { get; set; }

    public static ValueTask<CampaignDocument> BindAsync(HttpContext context) => JsonBody.ReadAsync<CampaignDocument>(context);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Recipients?.IndexOf(null) is >= 0 and var missing)
        {
            yield return new ValidationResult("to must be the user's phone number, such as +56912345678", [$"recipients[{missing}].to"]);
            yield break;
        }

        // Each spelling of a number is the same user.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Recipients?.Count; i++)
        {
            // A number that is not one is its own field's problem (named by [PhoneNumber]), not a repeat.
            if (PhoneNumberParser.TryNormalize(Recipients[i]!.To, out var user) && !seen.Add(user))
            {
                yield return new ValidationResult($"{user} is listed twice; each user gets the campaign once", [$"recipients[{i}].to"]);
            }
        }
    }
}

/// <summary>One user of a campaign, with the template's variables for them.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class CampaignRecipientDocument
{
    private const string ToRule = "to must be the user's phone number, such as +56912345678";

    [JsonPropertyName("to")]
    [Required(ErrorMessage = ToRule)]
    [PhoneNumber(ErrorMessage = ToRule)]
    public string? To { get; set; }

    /// <summary><see cref="To"/> in E.164, once the document is valid.</summary>
    [JsonIgnore] public string UserNumber => PhoneNumberParser.Normalize(To);

    /// <summary>The template's variables for this user, by name.</summary>
    [JsonPropertyName("variables")] public Dictionary<string, string>? Variables { get; set; }
}

public sealed record CampaignView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("template")] string Template,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("pending")] int Pending,
    [property: JsonPropertyName("queued")] int Queued,
    [property: JsonPropertyName("sent")] int Sent,
    [property: JsonPropertyName("failed")] int Failed,
    [property: JsonPropertyName("skipped")] int Skipped,
    [property: JsonPropertyName("canceled")] int Canceled,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("finished_at")] DateTimeOffset? FinishedAt)
{
    public static CampaignView From(CampaignSummary s) =>
        new(s.Id, s.Name, s.Template, s.Status, s.Total, s.Pending, s.Queued, s.Sent, s.Failed, s.Skipped, s.Canceled, s.CreatedAt, s.FinishedAt);
}

public sealed record CampaignRecipientView(
    [property: JsonPropertyName("position")] int Position,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("message_id")] long? MessageId,
    [property: JsonPropertyName("message_status")] string? MessageStatus,
    [property: JsonPropertyName("error_code")] string? ErrorCode);
