using System.Text;
using HorizonAI.Gateway.Access.Authorization;
using HorizonAI.Gateway.Conversations;
using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Grains.Interfaces;
using HorizonAI.ServiceDefaults.Configuration;
using HorizonAI.Storage.Knowledge;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HorizonAI.Gateway.Knowledge;

/// <summary>
/// A bot's knowledge (SPEC §9): documents added (a file, or text typed in), listed, read, deleted, and the bot's
/// upstream index rebuilt. The table is the truth: a document is stored with its text and chunks before the answer,
/// and the bot's <see cref="IKnowledgeGrain"/> is woken to index it upstream; if that call fails, its sweep finds the
/// document due all the same.
/// </summary>
public static partial class KnowledgeEndpoints
{
    /// <summary>What multipart framing and a title add to a file of the largest size allowed.</summary>
    public const int FormOverheadBytes = 1024 * 1024;

    private const string LogCategory = "HorizonAI.Gateway.Knowledge";

    private static readonly TimeSpan WakeTimeout = TimeSpan.FromSeconds(2);

    public static RouteGroupBuilder MapKnowledgeEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var limits = endpoints.ServiceProvider.GetRequiredService<IOptions<KnowledgeOptions>>().Value;
        var group = endpoints.MapGroup("/bots/{number}/knowledge").WithTags("Knowledge").RequireAdminAccess();
        group.MapPost("/", AddAsync).WithName("AddKnowledgeDocument")
            .WithSummary("Adds a document: multipart/form-data with one file (and an optional title), or JSON {title, text}")
            // No Accepts metadata: routing would answer other types 415 without saying which are taken; the handler does.
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute((long)limits.MaxFileBytes + FormOverheadBytes))
            .RequireRole(ApiKeyRoles.Manage);
        group.MapGet("/", ListAsync).WithName("ListKnowledgeDocuments")
            .WithSummary("The bot's documents, newest first (paged), and its upstream vector store");
        group.MapPost("/reindex", ReindexAsync).WithName("ReindexKnowledge")
            .WithSummary("Rebuilds the bot's upstream index from the stored documents").RequireRole(ApiKeyRoles.Manage);
        group.MapGet("/{id}", GetAsync).WithName("GetKnowledgeDocument")
            .WithSummary("One document, with text_preview (its first ~2,000 extracted characters)");
        group.MapDelete("/{id}", DeleteAsync).WithName("DeleteKnowledgeDocument")
            .WithSummary("Deletes a document: never retrieved again, here or upstream").RequireRole(ApiKeyRoles.Manage);
        return group;
    }

    public static async Task<Results<Created<KnowledgeDocumentView>, NotFound<ProblemDetailsBody>, ValidationProblem, ProblemHttpResult>> AddAsync(
        string number, HttpContext context, IClusterClient cluster, IKnowledgeStore store, IOptions<KnowledgeOptions> options,
        RequestValidator validator, ILoggerFactory loggers)
    {
        var limits = options.Value;
        if (await cluster.GetGrain<IBotGrain>(number).GetAsync() is not { } bot)
        {
            return AdminProblems.NoSuchBot(number);
        }

        var request = context.Request;
        var upload = request.HasFormContentType
            ? await ReadFileAsync(context, limits, validator)
            : request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true
                ? await ReadTextEntryAsync(context, limits, validator)
                : Upload.Refused(TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                    title: "Send multipart/form-data with a file, or application/json with title and text",
                    detail: $"Files taken: {DocumentText.Supported}."));
        if (upload.Problem is { } problem)
        {
            return problem;
        }

        if (upload.Invalid is { } invalid)
        {
            return invalid;
        }

        if (!DocumentText.TryExtract(upload.Content, upload.ContentType, out var text, out var unreadable))
        {
            return AdminProblems.Invalid(upload.FileName is null ? "text" : "file", unreadable);
        }

        var document = await store.AddAsync(
            new NewKnowledgeDocument(bot.Id!, upload.Title, upload.FileName, upload.ContentType, upload.Content, text), limits.MaxDocumentsPerBot, context.RequestAborted);
        if (document is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: $"The bot has {limits.MaxDocumentsPerBot} documents, as many as {KnowledgeOptions.MaxDocumentsVariable} allows",
                detail: "Delete a document it no longer needs, then add this one.");
        }

        await WakeAsync(cluster, bot, loggers);
        return TypedResults.Created($"/bots/{Uri.EscapeDataString(number)}/knowledge/{document.Id}", KnowledgeDocumentView.From(document));
    }

    public static async Task<Results<Ok<KnowledgeListView>, NotFound<ProblemDetailsBody>, ValidationProblem>> ListAsync(
        string number, int? offset, int? limit, HttpContext context, IClusterClient cluster, IKnowledgeStore store)
    {
        if (await cluster.GetGrain<IBotGrain>(number).GetAsync() is not { } bot)
        {
            return AdminProblems.NoSuchBot(number);
        }

        if (ConversationEndpoints.PagingProblem(offset, limit) is { } invalid)
        {
            return invalid;
        }

        var (from, count) = (offset ?? 0, limit ?? ConversationEndpoints.DefaultLimit);
        var page = await store.ListAsync(bot.Id!, from, count, context.RequestAborted);
        return TypedResults.Ok(KnowledgeListView.From(page, from, count));
    }

    public static async Task<Results<Ok<KnowledgeDocumentView>, NotFound<ProblemDetailsBody>, ValidationProblem>> GetAsync(
        string number, string id, HttpContext context, IClusterClient cluster, IKnowledgeStore store)
    {
        if (await cluster.GetGrain<IBotGrain>(number).GetAsync() is not { } bot)
        {
            return AdminProblems.NoSuchBot(number);
        }

        return KnowledgeIds.IsValid(id) && await store.GetAsync(bot.Id!, id, context.RequestAborted) is { } document
            ? TypedResults.Ok(KnowledgeDocumentView.From(document))
            : NoSuchDocument(number, id);
    }

    public static async Task<Results<NoContent, NotFound<ProblemDetailsBody>, ValidationProblem>> DeleteAsync(
        string number, string id, HttpContext context, IClusterClient cluster, IKnowledgeStore store, ILoggerFactory loggers)
    {
        if (await cluster.GetGrain<IBotGrain>(number).GetAsync() is not { } bot)
        {
            return AdminProblems.NoSuchBot(number);
        }

        if (!KnowledgeIds.IsValid(id) || !await store.DeleteAsync(bot.Id!, id, context.RequestAborted))
        {
            return NoSuchDocument(number, id);
        }

        await WakeAsync(cluster, bot, loggers);
        return TypedResults.NoContent();
    }

    /// <summary>Answered once the grain has recorded or started the rebuild; a cluster fault is a 503 to try again.</summary>
    public static async Task<Results<Accepted, NotFound<ProblemDetailsBody>, ValidationProblem>> ReindexAsync(string number, IClusterClient cluster)
    {
        if (await cluster.GetGrain<IBotGrain>(number).GetAsync() is not { } bot)
        {
            return AdminProblems.NoSuchBot(number);
        }

        await cluster.GetGrain<IKnowledgeGrain>(bot.Id!).ReindexAsync();
        return TypedResults.Accepted($"/bots/{Uri.EscapeDataString(number)}/knowledge");
    }

    private static NotFound<ProblemDetailsBody> NoSuchDocument(string number, string id) =>
        TypedResults.NotFound(new ProblemDetailsBody(404, $"The bot {number} has no document {id}", null));

    /// <summary>
    /// Tells the bot's index there is work. The document is already stored and due, and the grain's sweep finds it after
    /// any failure here, so a failure is logged and the answer stands.
    /// </summary>
    private static async Task WakeAsync(IClusterClient cluster, BotDefinition bot, ILoggerFactory loggers)
    {
        try
        {
            await cluster.GetGrain<IKnowledgeGrain>(bot.Id!).WakeAsync().WaitAsync(WakeTimeout);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogNotWoken(loggers.CreateLogger(LogCategory), bot.PhoneNumber, ex.GetType().Name, ex.Message);
        }
    }

    private static async Task<Upload> ReadFileAsync(HttpContext context, KnowledgeOptions limits, RequestValidator validator)
    {
        var request = context.Request;
        if (request.ContentLength > (long)limits.MaxFileBytes + FormOverheadBytes)
        {
            return TooLarge(limits);
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(context.RequestAborted);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(limits);
        }
        catch (Exception ex) when (ex is BadHttpRequestException or InvalidDataException or IOException)
        {
            return Upload.Refused(AdminProblems.Invalid("file", "the body could not be read as multipart/form-data"));
        }

        if (form.Files.Count != 1 || form.Files.GetFile("file") is not { } file)
        {
            return Upload.Refused(AdminProblems.Invalid("file", "send exactly one file, in the form field named file"));
        }

        if (file.Length > limits.MaxFileBytes)
        {
            return TooLarge(limits);
        }

        var fileName = Path.GetFileName(file.FileName.Replace('\\', '/')).Trim();
        if (DocumentText.ContentTypeOf(fileName, file.ContentType) is not { } contentType)
        {
            return Upload.Refused(TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: $"{(fileName.Length > 0 ? fileName : "The file")} is of a type not taken ({file.ContentType})",
                detail: $"Files taken: {DocumentText.Supported}."));
        }

        var entry = new KnowledgeFileEntry { Title = form["title"].ToString() };
        if (await validator.ValidateAsync(entry, context.RequestServices, context.RequestAborted) is { Count: > 0 } errors)
        {
            return Upload.Refused(TypedResults.ValidationProblem(errors));
        }

        var title = entry.Title.Trim();

        var content = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(content, context.RequestAborted);
        }

        var name = fileName.Length > 0 ? fileName : null;
        return new Upload(title.Length > 0 ? title : name ?? "Untitled", name, contentType, content);
    }

    private static async Task<Upload> ReadTextEntryAsync(HttpContext context, KnowledgeOptions limits, RequestValidator validator)
    {
        var entry = await JsonBody.ReadAsync<KnowledgeTextEntry>(context);
        if (JsonBody.ErrorsOf(context) is { } unreadable)
        {
            return unreadable.ContainsKey(JsonFieldPath.Body) && unreadable[JsonFieldPath.Body].Any(m => m.Contains("too large", StringComparison.Ordinal))
                ? TooLarge(limits)
                : Upload.Refused(TypedResults.ValidationProblem(unreadable));
        }

        if (await validator.ValidateAsync(entry, context.RequestServices, context.RequestAborted) is { Count: > 0 } errors)
        {
            return Upload.Refused(TypedResults.ValidationProblem(errors));
        }

        var content = Encoding.UTF8.GetBytes(entry.Text!);
        return content.Length > limits.MaxFileBytes
            ? TooLarge(limits)
            : new Upload(entry.Title!.Trim(), null, DocumentText.PlainText, content);
    }

    private static Upload TooLarge(KnowledgeOptions limits) => Upload.Refused(TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: $"The document is too large: at most {Describe(limits.MaxFileBytes)} ({KnowledgeOptions.MaxFileBytesVariable})",
        detail: "Split it into smaller documents, or remove what the bot does not need (images add bytes, not answers)."));

    private static string Describe(int bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB" : bytes % 1024 == 0 ? $"{bytes / 1024} KiB" : $"{bytes} bytes";

    /// <summary>What the request carried, or why it is refused.</summary>
    private sealed record Upload(string Title, string? FileName, string ContentType, byte[] Content)
    {
        public ProblemHttpResult? Problem { get; init; }

        public ValidationProblem? Invalid { get; init; }

        public static Upload Refused(ProblemHttpResult problem) => new("", null, "", []) { Problem = problem };

        public static Upload Refused(ValidationProblem invalid) => new("", null, "", []) { Invalid = invalid };
    }

    [LoggerMessage(EventId = 3130, Level = LogLevel.Warning, Message = "Bot {BotNumber}: its knowledge index was not woken ({Exception}: {Reason}); its sweep will find the work")]
    private static partial void LogNotWoken(ILogger logger, string botNumber, string exception, string reason);
}
