using HorizonAI.Gateway.Access.Authorization;
using HorizonAI.Gateway.Webhooks;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using HorizonAI.Gateway.Conversations;
using HorizonAI.Gateway.Hosting;
using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Gateway.Infrastructure.Validation;
using HorizonAI.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HorizonAI.Gateway.Access;

/// <summary>
/// Scoped keys (<c>/keys</c>, the admin key only), the audit log (<c>/audit</c>, scoped to the caller's bots) and
/// <c>/me</c> (what the presented key may do, for the console).
/// </summary>
public static class AccessEndpoints
{
    public const int MaxBotsPerKey = 100;
    public const int MaxOverlapMinutes = 7 * 24 * 60;
    public const int DefaultOverlapMinutes = 60;

    public static IEndpointRouteBuilder MapAccessEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var keys = endpoints.MapGroup("/keys").WithTags("Access").RequireAdminAccess().RequireRole(ApiKeyRoles.Admin);
        keys.MapPost("/", CreateAsync).WithName("CreateApiKey").Accepts<ApiKeyDocument>("application/json");
        keys.MapGet("/", ListAsync).WithName("ListApiKeys");
        keys.MapGet("/{id}", GetAsync).WithName("GetApiKey");
        keys.MapPost("/{id}/rotate", RotateAsync).WithName("RotateApiKey").Accepts<RotationDocument>("application/json");
        keys.MapDelete("/{id}", RevokeAsync).WithName("RevokeApiKey");

        var access = endpoints.MapGroup("/").WithTags("Access").RequireAdminAccess();
        access.MapGet("/audit", AuditAsync).WithName("ListAuditEntries");
        access.MapGet("/me", Me).WithName("WhoAmI");
        return endpoints;
    }

    public static async Task<Results<Created<ApiKeyView>, ValidationProblem>> CreateAsync(ApiKeyDocument document, IClusterClient cluster, BotRoster roster)
    {
        // Scoped to the bots, not the numbers: a later bot on a number is another client's.
        var bots = new List<string>();
        foreach (var e164 in document.BotNumbers)
        {
            if (await cluster.GetGrain<IBotGrain>(e164).GetAsync() is not { } bot)
            {
                return AdminProblems.Invalid("bots", $"No bot has the number {e164}");
            }

            if (!bots.Contains(bot.Id!))
            {
                bots.Add(bot.Id!);
            }
        }

        // A fresh random id is all but never taken; one more try covers the rest.
        for (var attempt = 0; ; attempt++)
        {
            var id = ApiKeyFormat.NewId();
            if (await cluster.GetGrain<IApiKeyGrain>(id).CreateAsync(new ApiKeyRequest(document.Name!.Trim(), document.Role!, [.. bots])) is { } issued)
            {
                return TypedResults.Created($"/keys/{id}", await ApiKeyView.FromAsync(issued.Key, roster, issued.Secret));
            }

            if (attempt == 2)
            {
                throw new InvalidOperationException("Three random key ids in a row were taken");
            }
        }
    }

    public static async Task<Ok<ApiKeyView[]>> ListAsync(IClusterClient cluster, BotRoster roster)
    {
        var views = new List<ApiKeyView>();
        foreach (var key in await cluster.GetGrain<IApiKeyDirectoryGrain>(0).ListAsync())
        {
            views.Add(await ApiKeyView.FromAsync(key, roster));
        }

        return TypedResults.Ok(views.ToArray());
    }

    public static async Task<Results<Ok<ApiKeyView>, NotFound<ProblemDetailsBody>>> GetAsync(string id, IClusterClient cluster, BotRoster roster) =>
        ApiKeyFormat.IsId(id) && await cluster.GetGrain<IApiKeyGrain>(id).GetAsync() is { } key
            ? TypedResults.Ok(await ApiKeyView.FromAsync(key, roster))
            : NoSuchKey(id);

    /// <summary>A new secret; the old one keeps working for <c>overlap_minutes</c> (the body may be left out).</summary>
    public static async Task<Results<Ok<ApiKeyView>, NotFound<ProblemDetailsBody>, ValidationProblem>> RotateAsync(
        string id, RotationDocument? rotation, IClusterClient cluster, BotRoster roster)
    {
        var overlap = rotation?.OverlapMinutes ?? DefaultOverlapMinutes;
        return ApiKeyFormat.IsId(id) && await cluster.GetGrain<IApiKeyGrain>(id).RotateAsync(TimeSpan.FromMinutes(overlap)) is { } issued
            ? TypedResults.Ok(await ApiKeyView.FromAsync(issued.Key, roster, issued.Secret))
            : NoSuchKey(id);
    }

    public static async Task<Results<Ok<ApiKeyView>, NotFound<ProblemDetailsBody>>> RevokeAsync(string id, IClusterClient cluster, BotRoster roster) =>
        ApiKeyFormat.IsId(id) && await cluster.GetGrain<IApiKeyGrain>(id).RevokeAsync() is { } key
            ? TypedResults.Ok(await ApiKeyView.FromAsync(key, roster))
            : NoSuchKey(id);

    /// <summary>Newest first; a scoped key reads its own bots' entries only (<c>bot</c> narrows it to one).</summary>
    public static async Task<Results<Ok<PageDocument<AuditEntryDocument>>, NotFound<ProblemDetailsBody>, ValidationProblem>> AuditAsync(
        HttpContext context, string? bot, DateTimeOffset? from, DateTimeOffset? to, string? key_id, int? offset, int? limit, IClusterClient cluster, BotRoster roster)
    {
        // The audit log names numbers: a scoped key reads the entries of its live bots' numbers.
        var principal = AccessPrincipal.Of(context);
        string[]? bots = principal.Bots is null ? null : await BotScope.NumbersAsync(principal.Bots, roster, context.RequestAborted);
        if (bot is not null)
        {
            if (!PhoneNumberParser.TryNormalize(bot, out var e164))
            {
                return AdminProblems.Invalid("bot", "bot must be a phone number such as +15551111111");
            }

            if (!await principal.SeesAsync(e164, roster, context.RequestAborted))
            {
                return AdminProblems.NoSuchBot(e164);
            }

            bots = [e164];
        }

        if (ConversationEndpoints.PagingProblem(offset, limit) is { } invalid)
        {
            return invalid;
        }

        var page = await cluster.GetGrain<IAuditLogGrain>(0).ListAsync(new AuditQuery(bots, offset ?? 0, limit ?? ConversationEndpoints.DefaultLimit)
        {
            From = from,
            To = to,
            KeyId = string.IsNullOrWhiteSpace(key_id) ? null : key_id.Trim(),
        });
        return TypedResults.Ok(new PageDocument<AuditEntryDocument>(
            page.Items.Select(e => new AuditEntryDocument(e.Id, e.At, e.KeyId, e.Action, e.BotNumber, e.UserNumber, e.Status, e.Client)).ToArray(),
            page.Total, page.Offset, page.Limit));
    }

    public static async Task<Ok<MeDocument>> Me(HttpContext context, BotRoster roster)
    {
        var principal = AccessPrincipal.Of(context);
        var bots = principal.Bots is null ? null : await BotScope.NumbersAsync(principal.Bots, roster, context.RequestAborted);
        return TypedResults.Ok(new MeDocument(principal.KeyId, principal.Name, principal.Role, bots));
    }

    private static NotFound<ProblemDetailsBody> NoSuchKey(string id) =>
        TypedResults.NotFound(new ProblemDetailsBody(404, $"No API key has the id {id}", null));
}

/// <summary>The body of <c>POST /keys</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class ApiKeyDocument : IValidatableObject
{
    private const string NameRule = "name is required, at most 100 characters (e.g. the client business)";

    /// <summary>Who the key is for, e.g. the client business.</summary>
    [JsonPropertyName("name")]
    [Required(ErrorMessage = NameRule)]
    [TrimmedLength(1, 100, ErrorMessage = NameRule)]
    public string? Name { get; set; }

    /// <summary><c>read</c>, <c>operate</c> or <c>manage</c>.</summary>
    [JsonPropertyName("role")]
    [AllowedValues(ApiKeyRoles.Read, ApiKeyRoles.Operate, ApiKeyRoles.Manage, ErrorMessage = "role must be one of read, operate, manage")]
    public string? Role { get; set; }

    /// <summary>The bots' numbers it may see.</summary>
    [JsonPropertyName("bots")]
    [Required(ErrorMessage = BotsRule)]
    [Length(1, AccessEndpoints.MaxBotsPerKey, ErrorMessage = BotsRule)]
    public string[]? Bots { get; set; }

    private const string BotsRule = "bots must list 1 to 100 bot numbers";

    /// <summary><see cref="Bots"/> in E.164, once the document is valid.</summary>
    [JsonIgnore] public IEnumerable<string> BotNumbers => (Bots ?? []).Select(PhoneNumberParser.Normalize);

    public static ValueTask<ApiKeyDocument> BindAsync(HttpContext context) => JsonBody.ReadAsync<ApiKeyDocument>(context);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Bots?.Length; i++)
        {
            if (!PhoneNumberParser.TryNormalize(Bots[i], out _))
            {
                yield return new ValidationResult($"{Bots[i]} is not a phone number such as +15551111111", [$"bots[{i}]"]);
            }
        }
    }
}

/// <summary>The body of <c>POST /keys/{id}/rotate</c>, which may be left out.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class RotationDocument
{
    /// <summary>How long the old secret keeps working (default 60; 0 stops it at once).</summary>
    [JsonPropertyName("overlap_minutes")]
    [Range(0, AccessEndpoints.MaxOverlapMinutes, ErrorMessage = "overlap_minutes must be from 0 (the old secret stops at once) to 10080")]
    public int? OverlapMinutes { get; set; }

    public static ValueTask<RotationDocument?> BindAsync(HttpContext context) => JsonBody.ReadOptionalAsync<RotationDocument>(context);
}

/// <summary>A key as listed; <c>key</c> (the whole key, to present as a bearer) only when it is created or rotated.</summary>
public sealed record ApiKeyView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("bots")] string[] Bots,
    [property: JsonPropertyName("bot_ids")] string[] BotIds,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("rotated_at")] DateTimeOffset? RotatedAt,
    [property: JsonPropertyName("previous_expires_at")] DateTimeOffset? PreviousExpiresAt,
    [property: JsonPropertyName("last_used_at")] DateTimeOffset? LastUsedAt,
    [property: JsonPropertyName("revoked_at")] DateTimeOffset? RevokedAt,
    [property: JsonPropertyName("key"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Key)
{
    /// <summary>The key as the API shows it: its bots by number (those still live), and by id.</summary>
    public static async Task<ApiKeyView> FromAsync(ApiKeyInfo key, BotRoster roster, string? secret = null) =>
        new(key.Id, key.Name, key.Role, await BotScope.NumbersAsync(key.Bots, roster, CancellationToken.None), key.Bots, key.CreatedAt, key.RotatedAt,
            key.PreviousExpiresAt, key.LastUsedAt, key.RevokedAt, secret);
}

public sealed record AuditEntryDocument(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("key_id")] string KeyId,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("bot_number")] string? BotNumber,
    [property: JsonPropertyName("user_number")] string? UserNumber,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("client")] string? Client);

/// <summary>What the presented key may do: <c>bots</c> null for the admin key (every bot).</summary>
public sealed record MeDocument(
    [property: JsonPropertyName("key_id")] string KeyId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("bots")] string[]? Bots);
