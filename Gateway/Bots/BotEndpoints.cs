using HorizonAI.Gateway.Access.Authorization;
using HorizonAI.Gateway.Webhooks;
using HorizonAI.Gateway.Access;
using HorizonAI.Gateway.Hosting;
using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HorizonAI.Gateway.Bots;

/// <summary>Bots: list, create, read, replace, delete and restore from a backup (SPEC §5).</summary>
public static class BotEndpoints
{
    /// <summary>Any admin request body (one bot is a few KiB).</summary>
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>A backup of every bot: 10,000 bots with long instructions need tens of MiB.</summary>
    public const int MaxBackupBytes = 64 * 1024 * 1024;

    public static RouteGroupBuilder MapBotEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/bots").WithTags("Bots").RequireAdminAccess();
        group.MapGet("/", ListAsync).WithName("ListBots");
        group.MapPost("/", CreateAsync).WithName("CreateBot").Accepts<BotDocument>("application/json").RequireRole(ApiKeyRoles.Admin);
        group.MapPost("/import", ImportAsync).WithName("ImportBots").Accepts<BotDocument[]>("application/json")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxBackupBytes)).RequireRole(ApiKeyRoles.Admin);
        group.MapGet("/{number}", GetAsync).WithName("GetBot");
        group.MapPut("/{number}", ReplaceAsync).WithName("ReplaceBot").Accepts<BotDocument>("application/json").RequireRole(ApiKeyRoles.Manage);
        group.MapDelete("/{number}", DeleteAsync).WithName("DeleteBot").RequireRole(ApiKeyRoles.Admin);
        return group;
    }

    /// <summary>Every bot for the admin key (a backup); a scoped key's own bots only.</summary>
    public static async Task<Ok<BotDocument[]>> ListAsync(HttpContext context, IClusterClient cluster)
    {
        var principal = AccessPrincipal.Of(context);
        var bots = await cluster.GetGrain<IBotDirectoryGrain>(0).ListAsync();
        return TypedResults.Ok(bots.Where(b => principal.CanSee(b.Id!)).Select(b => Shown(b, principal)).ToArray());
    }

    /// <summary>
    /// The bot's secrets (the handoff webhook's, the tools', the MCP servers' header values) are shown to keys that may
    /// change them (manage and the admin key) only; the others see that they are set, and header names.
    /// </summary>
    private static BotDocument Shown(BotDefinition bot, AccessPrincipal principal)
    {
        var document = BotDocument.From(bot);
        if (principal.Allows(ApiKeyRoles.Manage))
        {
            return document;
        }

        if (document.HandoffWebhookSecret is not null)
        {
            document.HandoffWebhookSecret = Redacted;
        }

        if (document.ToolsSecret is not null)
        {
            document.ToolsSecret = Redacted;
        }

        foreach (var server in document.McpServers ?? [])
        {
            server.Headers = server.Headers?.ToDictionary(h => h.Key, _ => Redacted);
        }

        return document;
    }

    /// <summary>What a read or operate key sees in place of a secret of the bot.</summary>
    public const string Redacted = "(hidden)";

    public static async Task<Results<Created<BotDocument>, Conflict<ProblemDetailsBody>, ValidationProblem>> CreateAsync(
        BotDocument document, HttpContext context, IClusterClient cluster, BotRoster roster)
    {
        var bot = document.ToDefinition();
        var result = await cluster.GetGrain<IBotGrain>(bot.PhoneNumber).SaveAsync(bot, BotWriteMode.Create);
        roster.Forget(bot.PhoneNumber);
        if (result.Outcome == BotWriteOutcome.AlreadyExists)
        {
            return TypedResults.Conflict(new ProblemDetailsBody(409, $"A bot with the number {bot.PhoneNumber} already exists", "Use PUT /bots/{number} to change it."));
        }

        if (result.Outcome == BotWriteOutcome.IdConflict)
        {
            return TypedResults.Conflict(IdConflict(bot));
        }

        if (result.Outcome == BotWriteOutcome.VectorStoreTaken)
        {
            return TypedResults.Conflict(VectorStoreTaken);
        }

        context.Response.Headers.ETag = BotETag.Of(result.Bot!);
        return TypedResults.Created($"/bots/{Uri.EscapeDataString(bot.PhoneNumber)}", BotDocument.From(result.Bot!));
    }

    /// <summary>A restore may take back a deleted bot's data of the same number, never another client's.</summary>
    private static ProblemDetailsBody IdConflict(BotDefinition bot) => new(409,
        $"The id {bot.Id} belongs to another bot, or was another number's than {bot.PhoneNumber}",
        "Leave id out to create a new bot; a backup restores its data only to the number it was taken from, after that bot was deleted.");

    /// <summary>A bot searches its own client's documents only: a vector store is one bot's.</summary>
    private static ProblemDetailsBody VectorStoreTaken { get; } = new(409,
        "vector_store_ids: one of these vector stores is another bot's",
        "A vector store belongs to one bot; list only stores of this bot's own client that no other bot uses.");

    public static async Task<Results<Ok<BotDocument>, NotFound<ProblemDetailsBody>, ValidationProblem>> GetAsync(string number, HttpContext context, IClusterClient cluster)
    {
        var e164 = number; // E.164 already (RouteNumberFilter)

        var bot = await cluster.GetGrain<IBotGrain>(e164).GetAsync();
        if (bot is null)
        {
            return AdminProblems.NoSuchBot(e164);
        }

        context.Response.Headers.ETag = BotETag.Of(bot);
        return TypedResults.Ok(Shown(bot, AccessPrincipal.Of(context)));
    }

    public static async Task<Results<Ok<BotDocument>, NotFound<ProblemDetailsBody>, ValidationProblem, ProblemHttpResult>> ReplaceAsync(
        string number, BotDocument document, HttpContext context, IClusterClient cluster, BotRoster roster)
    {
        var e164 = number; // E.164 already (RouteNumberFilter)
        var bot = document.ToDefinition();
        if (bot.PhoneNumber != e164)
        {
            return AdminProblems.Invalid("twilio_phone_number", $"twilio_phone_number {bot.PhoneNumber} differs from the number in the URL ({e164}); a bot's number cannot change");
        }

        // A manage key changes the assistant's settings; switching the bot on or off and its metadata stay the agency's.
        // Both that and If-Match are checked by the bot's grain in the turn that writes, so no other save comes between.
        var conditions = new BotWriteConditions { IfVersion = BotETag.VersionIn(context.Request), KeepsAgencyFields = !AccessPrincipal.Of(context).IsAdmin };
        var result = await cluster.GetGrain<IBotGrain>(e164).SaveAsync(bot, BotWriteMode.Replace, conditions);
        roster.Forget(e164);
        switch (result.Outcome)
        {
            case BotWriteOutcome.NotFound:
                return AdminProblems.NoSuchBot(e164);
            case BotWriteOutcome.IdConflict:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: IdConflict(bot).Title, detail: IdConflict(bot).Detail);
            case BotWriteOutcome.AgencyFields:
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
                    title: "A scoped key cannot change enabled, metadata or vector_store_ids; send them as they are");
            case BotWriteOutcome.VectorStoreTaken:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: VectorStoreTaken.Title, detail: VectorStoreTaken.Detail);
            case BotWriteOutcome.Changed:
                return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed,
                    title: "The bot was changed since you read it",
                    detail: $"Read it again (GET /bots/{e164}, ETag {BotETag.Of(result.Bot!)}), apply your change to it and send it with that ETag in If-Match.");
        }

        context.Response.Headers.ETag = BotETag.Of(result.Bot!);
        return TypedResults.Ok(BotDocument.From(result.Bot!));
    }

    public static async Task<Results<NoContent, NotFound<ProblemDetailsBody>, ValidationProblem>> DeleteAsync(string number, bool? purge, IClusterClient cluster, BotRoster roster)
    {
        var e164 = number; // E.164 already (RouteNumberFilter)

        var existed = await cluster.GetGrain<IBotGrain>(e164).DeleteAsync(purge ?? false);
        roster.Forget(e164);
        return existed ? TypedResults.NoContent() : AdminProblems.NoSuchBot(e164);
    }

    /// <summary>Each bot of a backup is read and validated on its own: one that is not valid is rejected with its reasons, the rest are kept.</summary>
    public static async Task<Results<Ok<ImportSummary>, ValidationProblem>> ImportAsync(
        BotBackup backup, HttpContext context, RequestValidator validator, IClusterClient cluster, BotRoster roster)
    {
        var summary = new ImportSummary();
        foreach (var (position, element) in backup.Entries())
        {
            if (JsonBody.Deserialize<BotDocument>(element, "bot", out var unreadable) is not { } document)
            {
                summary.Rejected.Add(new ImportRejection(position, null, [unreadable ?? "the bot must be a JSON object"]));
                continue;
            }

            var errors = await validator.ValidateAsync(document, context.RequestServices, context.RequestAborted);
            if (errors.Count > 0)
            {
                summary.Rejected.Add(new ImportRejection(position, document.TwilioPhoneNumber, errors.SelectMany(kv => kv.Value).ToList()));
                continue;
            }

            var bot = document.ToDefinition();
            var result = await cluster.GetGrain<IBotGrain>(bot.PhoneNumber).SaveAsync(bot, BotWriteMode.Upsert);
            roster.Forget(bot.PhoneNumber);
            if (result.Outcome == BotWriteOutcome.IdConflict)
            {
                summary.Rejected.Add(new ImportRejection(position, bot.PhoneNumber, [IdConflict(bot).Title!]));
            }
            else if (result.Outcome == BotWriteOutcome.VectorStoreTaken)
            {
                summary.Rejected.Add(new ImportRejection(position, bot.PhoneNumber, [VectorStoreTaken.Title]));
            }
            else if (result.Outcome == BotWriteOutcome.Created)
            {
                summary.Created++;
            }
            else
            {
                summary.Updated++;
            }
        }

        return TypedResults.Ok(summary);
    }
}
