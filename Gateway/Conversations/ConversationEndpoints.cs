using HorizonAI.Gateway.Access.Authorization;
using System.Text.Json.Serialization;
using HorizonAI.Gateway.Access;
using HorizonAI.Gateway.Hosting;
using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Gateway.Usage;
using HorizonAI.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HorizonAI.Gateway.Conversations;

/// <summary>A bot's conversations, transcripts, erasure and usage, read from the message log (SPEC §5).</summary>
public static class ConversationEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static RouteGroupBuilder MapConversationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/bots/{number}").WithTags("Conversations and usage").RequireAdminAccess();
        group.MapGet("/conversations", ListAsync).WithName("ListConversations");
        group.MapGet("/conversations/{user}", TranscriptAsync).WithName("GetTranscript").Audited();
        group.MapDelete("/conversations/{user}", EraseAsync).WithName("EraseConversation").RequireRole(ApiKeyRoles.Operate);
        group.MapOperatorMessages();
        group.MapConversationMode();
        group.MapGet("/usage", UsageAsync).WithName("GetUsage");
        return group;
    }

    public static async Task<Results<Ok<PageDocument<ConversationDocument>>, NotFound<ProblemDetailsBody>, ValidationProblem>> ListAsync(
        string number, int? offset, int? limit, IClusterClient cluster)
    {
        if (await cluster.GetGrain<IBotGrain>(number).GetAsync() is not { } bot)
        {
            return AdminProblems.NoSuchBot(number);
        }

        if (PagingProblem(offset, limit) is { } invalid)
        {
            return invalid;
        }

        var page = await cluster.GetGrain<IMessageLogGrain>(0).ListConversationsAsync(bot.Id!, offset ?? 0, limit ?? DefaultLimit);
        return TypedResults.Ok(new PageDocument<ConversationDocument>(
            page.Items.Select(c => new ConversationDocument(c.UserNumber, c.StartedAt, c.LastMessageAt, c.MessageCount, c.OptedOutAt,
                c.Mode, c.HumanSince, c.HandoffTrigger, c.HandoffReason, c.Unread)).ToArray(), page.Total, page.Offset, page.Limit));
    }

    public static async Task<Results<Ok<PageDocument<TranscriptDocument>>, NotFound<ProblemDetailsBody>, ValidationProblem>> TranscriptAsync(
        string number, string user, int? offset, int? limit, HttpContext context, IClusterClient cluster)
    {
        if (await cluster.GetGrain<IBotGrain>(number).GetAsync() is not { } bot)
        {
            return AdminProblems.NoSuchBot(number);
        }

        if (PagingProblem(offset, limit) is { } invalid)
        {
            return invalid;
        }

        var page = await cluster.GetGrain<IMessageLogGrain>(0).GetTranscriptAsync(bot.Id!, user, offset ?? 0, limit ?? DefaultLimit);
        // What the business's tools were given and answered is the business's data: keys that may change the bot see it.
        var details = AccessPrincipal.Of(context).Allows(ApiKeyRoles.Manage);
        return TypedResults.Ok(new PageDocument<TranscriptDocument>(
            page.Items.Select(m => TranscriptDocument.From(m, details)).ToArray(), page.Total, page.Offset, page.Limit));
    }

    public static async Task<Results<NoContent, NotFound<ProblemDetailsBody>, ValidationProblem>> EraseAsync(string number, string user, IClusterClient cluster)
    {
        if (await cluster.GetGrain<IBotGrain>(number).GetAsync() is not { } bot)
        {
            return AdminProblems.NoSuchBot(number);
        }

        await cluster.GetGrain<IConversationGrain>(ConversationKey.For(bot.PhoneNumber, bot.Id!, user)).ResetAsync(user);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<UsageReport>, NotFound<ProblemDetailsBody>, ValidationProblem>> UsageAsync(
        string number, [AsParameters] UsageQuery query, IClusterClient cluster, IOptions<PriceOptions> prices, TimeProvider time)
    {
        if (await cluster.GetGrain<IBotGrain>(number).GetAsync() is not { } bot)
        {
            return AdminProblems.NoSuchBot(number);
        }

        // The query's own rules passed (RequestValidationFilter).
        var (fromDay, toDay) = query.Range(time);
        var days = await cluster.GetGrain<IMessageLogGrain>(0).GetUsageAsync(bot.Id!, fromDay, toDay);
        return TypedResults.Ok(UsageReport.Build(bot.PhoneNumber, fromDay, toDay, days, prices.Value));
    }

    internal static ValidationProblem? PagingProblem(int? offset, int? limit)
    {
        if (offset is < 0)
        {
            return AdminProblems.Invalid("offset", "offset must be 0 or more");
        }

        return limit is < 1 or > MaxLimit ? AdminProblems.Invalid("limit", $"limit must be between 1 and {MaxLimit}") : null;
    }
}

public sealed record PageDocument<T>(
    [property: JsonPropertyName("items")] T[] Items,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("offset")] int Offset,
    [property: JsonPropertyName("limit")] int Limit);

public sealed record ConversationDocument(
    [property: JsonPropertyName("user_number")] string UserNumber,
    [property: JsonPropertyName("started_at")] DateTimeOffset StartedAt,
    [property: JsonPropertyName("last_message_at")] DateTimeOffset LastMessageAt,
    [property: JsonPropertyName("message_count")] int MessageCount,
    [property: JsonPropertyName("opted_out_at")] DateTimeOffset? OptedOutAt,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("human_since")] DateTimeOffset? HumanSince,
    [property: JsonPropertyName("handoff_trigger")] string? HandoffTrigger,
    [property: JsonPropertyName("handoff_reason")] string? HandoffReason,
    [property: JsonPropertyName("unread")] int Unread);

public sealed record TranscriptDocument(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("direction")] string Direction,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("twilio_sid")] string? TwilioSid,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("error_code")] string? ErrorCode,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("media")] IReadOnlyList<TranscriptMediaDocument> Media,
    [property: JsonPropertyName("media_text")] string? MediaText,
    [property: JsonPropertyName("sent_by")] string? SentBy)
{
    /// <summary>For a reply: the documents of the bot's knowledge the answer used (never sent to the user).</summary>
    [JsonPropertyName("knowledge_sources"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<KnowledgeSourceDocument>? KnowledgeSources { get; init; }

    /// <summary>A call of a business's tool (direction <c>tool</c>): its name; status is ok, error or timeout.</summary>
    [JsonPropertyName("tool"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Tool { get; init; }

    [JsonPropertyName("duration_ms"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? DurationMs { get; init; }

    /// <summary>When the call was made (the same as <see cref="Time"/>).</summary>
    [JsonPropertyName("at"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public DateTimeOffset? At { get; init; }

    /// <summary>The arguments the model gave (JSON text); to <c>manage</c> keys and the admin key only.</summary>
    [JsonPropertyName("arguments"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Arguments { get; init; }

    /// <summary>What the model was given back (JSON text); to <c>manage</c> keys and the admin key only.</summary>
    [JsonPropertyName("output"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Output { get; init; }

    public static TranscriptDocument From(TranscriptMessage m, bool details) => new(
        m.Id, m.Direction, m.Text, m.At, m.TwilioSid, m.Status, m.ErrorCode, m.ErrorMessage,
        [.. m.Media.Select(media => new TranscriptMediaDocument(media.Url, media.ContentType))], m.MediaText, m.SentBy)
    {
        KnowledgeSources = m.KnowledgeSources.Length == 0 ? null : [.. m.KnowledgeSources.Select(k => new KnowledgeSourceDocument(k.Id, k.Title))],
        Tool = m.ToolCall?.Tool,
        DurationMs = m.ToolCall?.DurationMs,
        At = m.ToolCall is null ? null : m.At,
        Arguments = details ? m.ToolCall?.Arguments : null,
        Output = details ? m.ToolCall?.Output : null,
    };
}

/// <summary>A document an answer used: its id (<c>kd_…</c>; null for a file of another of the bot's vector stores) and its title.</summary>
public sealed record KnowledgeSourceDocument(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("title")] string Title);

/// <summary>A media item of a transcript message: Twilio's URL (readable with the account's credentials) and its type.</summary>
public sealed record TranscriptMediaDocument(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("content_type")] string ContentType);
