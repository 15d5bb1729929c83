using HorizonAI.Gateway.Access.Authorization;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using HorizonAI.Gateway.Access;
using HorizonAI.Gateway.Conversations;
using HorizonAI.Gateway.Infrastructure;
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
        string number, HttpContext context, IClusterClient cluster)
    {
        var botNumber = number; // E.164 already (RouteNumberFilter)

        var (document, error) = await AdminJson.ReadAsync<CampaignDocument>(context.Request);
        if (error is not null)
        {
            return error;
        }

        if (await cluster.GetGrain<IBotGrain>(botNumber).GetAsync() is not { } bot)
        {
            return AdminProblems.NoSuchBot(botNumber);
        }

        var errors = new Dictionary<string, string[]>();
        var name = document!.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100 || !TextInput.IsStorable(name))
        {
            errors["name"] = ["name is required, at most 100 characters"];
        }

        var template = document.Template is { } templateName ? bot.Template(templateName) : null;
        if (template is null)
        {
            errors["template"] = [document.Template is null ? "template is required (one of the bot's templates)" : $"the bot has no template named {document.Template}"];
        }

        var recipients = new List<CampaignRecipient>();
        if (document.Recipients is not { Count: > 0 and <= MaxRecipients })
        {
            errors["recipients"] = [$"recipients must list 1 to {MaxRecipients} users"];
        }
        else if (template is not null)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < document.Recipients.Count && errors.Count == 0; i++)
            {
                var recipient = document.Recipients[i];
                if (recipient is null || !PhoneNumberParser.TryNormalize(recipient.To, out var user))
                {
                    errors[$"recipients[{i}].to"] = ["to must be the user's phone number, such as +56912345678"];
                }
                else if (!seen.Add(user))
                {
                    errors[$"recipients[{i}].to"] = [$"{user} is listed twice; each user gets the campaign once"];
                }
                else if (TemplateValues.Read(template, recipient.Variables, out var problem) is { } values)
                {
                    recipients.Add(new CampaignRecipient(user, values));
                }
                else
                {
                    errors[$"recipients[{i}].variables"] = [problem!];
                }
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var id = "cmp_" + RandomNumberGenerator.GetHexString(16, lowercase: true);
        var request = new CampaignRequest(id, botNumber, name!, template!.Name, [.. recipients], AccessPrincipal.Of(context).KeyId);
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

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class CampaignDocument
{
    [JsonPropertyName("name")] public string? Name { get; set; }

    /// <summary>The name of one of the bot's templates.</summary>
    [JsonPropertyName("template")] public string? Template { get; set; }

    [JsonPropertyName("recipients")] public List<CampaignRecipientDocument?>? Recipients { get; set; }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class CampaignRecipientDocument
{
    [JsonPropertyName("to")] public string? To { get; set; }

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
