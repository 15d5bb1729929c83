using System.Text.Json.Nodes;
using HorizonAI.Sandbox.Faults;
using HorizonAI.Sandbox.Knowledge;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HorizonAI.Sandbox.OpenAIApi;

/// <summary>
/// <c>/v1/vector_stores</c>: stores, their files and file batches, in the wire format of the OpenAI .NET SDK 2.15.0
/// (<c>VectorStoreClient</c>). Ingestion is asynchronous as at OpenAI: a file is <c>in_progress</c> until it settles
/// (see <see cref="SandboxKnowledge"/>), and answers that show one so carry <c>openai-poll-after-ms</c>.
/// </summary>
internal static class VectorStoresEndpoints
{
    public const string PollAfterHeader = "openai-poll-after-ms";

    public static RouteGroupBuilder MapVectorStores(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/vector_stores")
            .AddEndpointFilter(new FaultFilter(state => state.OpenAI, OpenAIErrors.Injected));
        group.MapPost("", CreateAsync);
        group.MapGet("", List);
        group.MapGet("/{storeId}", Get);
        group.MapDelete("/{storeId}", Delete);
        group.MapPost("/{storeId}/files", AddFileAsync);
        group.MapGet("/{storeId}/files", ListFiles);
        group.MapGet("/{storeId}/files/{fileId}", GetFile);
        group.MapDelete("/{storeId}/files/{fileId}", RemoveFile);
        group.MapPost("/{storeId}/file_batches", AddBatchAsync);
        group.MapGet("/{storeId}/file_batches/{batchId}", GetBatch);
        return group;
    }

    private static async Task<Results<Ok<JsonObject>, JsonHttpResult<JsonObject>>> CreateAsync(HttpContext context, SandboxState state)
    {
        if (await RequestJson.ReadObjectAsync(context.Request) is not { } body)
        {
            return RequestJson.Unparsable();
        }

        var fileIds = Strings(body["file_ids"]);
        if (MissingFile(state, fileIds) is { } missing)
        {
            return missing;
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in body["metadata"] as JsonObject ?? [])
        {
            if (RequestJson.Text(value) is not { } text)
            {
                return OpenAIErrors.Create(400, $"Invalid type for 'metadata.{key}': expected a string.", OpenAIErrors.InvalidRequest, "metadata");
            }

            metadata[key] = text;
        }

        var store = state.Knowledge.CreateStore(RequestJson.Text(body["name"]), metadata, fileIds);
        return Answer(context, state, KnowledgeJson.Store(store), store.Status);
    }

    private static Ok<JsonObject> List(SandboxState state) => TypedResults.Ok(KnowledgeJson.List(
        state.Knowledge.Stores.Where(store => !store.Deleted).Reverse().Select(KnowledgeJson.Store)));

    private static Results<Ok<JsonObject>, JsonHttpResult<JsonObject>> Get(string storeId, HttpContext context, SandboxState state) =>
        state.Knowledge.LiveStore(storeId, countRead: true) is { } store
            ? Answer(context, state, KnowledgeJson.Store(store), store.Status)
            : StoreNotFound(storeId);

    private static Results<Ok<JsonObject>, JsonHttpResult<JsonObject>> Delete(string storeId, SandboxState state) =>
        state.Knowledge.DeleteStore(storeId)
            ? TypedResults.Ok(new JsonObject { ["id"] = storeId, ["object"] = "vector_store.deleted", ["deleted"] = true })
            : StoreNotFound(storeId);

    private static async Task<Results<Ok<JsonObject>, JsonHttpResult<JsonObject>>> AddFileAsync(string storeId, HttpContext context, SandboxState state)
    {
        if (await RequestJson.ReadObjectAsync(context.Request) is not { } body)
        {
            return RequestJson.Unparsable();
        }

        if (RequestJson.Text(body["file_id"]) is not { } fileId)
        {
            return OpenAIErrors.Create(400, "Missing required parameter: 'file_id'.", OpenAIErrors.InvalidRequest, "file_id", "missing_required_parameter");
        }

        if (!state.Knowledge.StoreExists(storeId))
        {
            return StoreNotFound(storeId);
        }

        if (MissingFile(state, [fileId]) is { } missing)
        {
            return missing;
        }

        return state.Knowledge.AddFile(storeId, fileId) is { } file
            ? Answer(context, state, KnowledgeJson.StoreFile(file), file.Status)
            : StoreNotFound(storeId);
    }

    private static Results<Ok<JsonObject>, JsonHttpResult<JsonObject>> ListFiles(string storeId, string? filter, HttpContext context, SandboxState state)
    {
        if (state.Knowledge.LiveStore(storeId, countRead: true) is not { } store)
        {
            return StoreNotFound(storeId);
        }

        var files = store.Files.Where(file => filter is null || file.Status == filter).Reverse().ToArray();
        return Answer(context, state, KnowledgeJson.List(files.Select(KnowledgeJson.StoreFile)), store.Status);
    }

    private static Results<Ok<JsonObject>, JsonHttpResult<JsonObject>> GetFile(string storeId, string fileId, HttpContext context, SandboxState state)
    {
        if (!state.Knowledge.StoreExists(storeId))
        {
            return StoreNotFound(storeId);
        }

        return state.Knowledge.StoreFile(storeId, fileId) is { } file
            ? Answer(context, state, KnowledgeJson.StoreFile(file), file.Status)
            : StoreFileNotFound(storeId, fileId);
    }

    private static Results<Ok<JsonObject>, JsonHttpResult<JsonObject>> RemoveFile(string storeId, string fileId, SandboxState state)
    {
        if (!state.Knowledge.StoreExists(storeId))
        {
            return StoreNotFound(storeId);
        }

        return state.Knowledge.RemoveFile(storeId, fileId)
            ? TypedResults.Ok(new JsonObject { ["id"] = fileId, ["object"] = "vector_store.file.deleted", ["deleted"] = true })
            : StoreFileNotFound(storeId, fileId);
    }

    /// <summary>
    /// A batch adds each file as <c>POST …/files</c> would; the sandbox keeps no batch of its own: its id names the
    /// store and files it covers, so that reading it reports on those files.
    /// </summary>
    private static async Task<Results<Ok<JsonObject>, JsonHttpResult<JsonObject>>> AddBatchAsync(string storeId, HttpContext context, SandboxState state)
    {
        if (await RequestJson.ReadObjectAsync(context.Request) is not { } body)
        {
            return RequestJson.Unparsable();
        }

        var fileIds = Strings(body["file_ids"]);
        if (fileIds.Count == 0)
        {
            return OpenAIErrors.Create(400, "Missing required parameter: 'file_ids'.", OpenAIErrors.InvalidRequest, "file_ids", "missing_required_parameter");
        }

        if (!state.Knowledge.StoreExists(storeId))
        {
            return StoreNotFound(storeId);
        }

        if (MissingFile(state, fileIds) is { } missing)
        {
            return missing;
        }

        var files = fileIds.Select(fileId => state.Knowledge.AddFile(storeId, fileId)).OfType<KnowledgeStoreFile>().ToArray();
        var batchId = state.Knowledge.AddBatch(storeId, fileIds);
        return Answer(context, state, BatchJson(batchId, storeId, files, state.Now), BatchStatus(files));
    }

    private static Results<Ok<JsonObject>, JsonHttpResult<JsonObject>> GetBatch(string storeId, string batchId, HttpContext context, SandboxState state)
    {
        if (state.Knowledge.Batch(batchId) is not { } batch || batch.StoreId != storeId)
        {
            return OpenAIErrors.Create(404, $"No file batch found with id '{batchId}' in vector store '{storeId}'.", OpenAIErrors.InvalidRequest);
        }

        if (state.Knowledge.LiveStore(storeId, countRead: true) is not { } store)
        {
            return StoreNotFound(storeId);
        }

        var files = store.Files.Where(file => batch.FileIds.Contains(file.FileId)).ToArray();
        return Answer(context, state, BatchJson(batchId, storeId, files, batch.CreatedAt), BatchStatus(files));
    }

    private static string BatchStatus(IReadOnlyList<KnowledgeStoreFile> files) =>
        files.Any(file => file.Status == KnowledgeStoreFile.InProgress) ? KnowledgeStoreFile.InProgress : KnowledgeStoreFile.Completed;

    private static JsonObject BatchJson(string batchId, string storeId, IReadOnlyList<KnowledgeStoreFile> files, DateTimeOffset createdAt) => new()
    {
        ["id"] = batchId,
        ["object"] = "vector_store.files_batch",
        ["created_at"] = createdAt.ToUnixTimeSeconds(),
        ["vector_store_id"] = storeId,
        ["status"] = BatchStatus(files),
        ["file_counts"] = KnowledgeJson.Counts(files),
    };

    /// <summary>The answer, with <c>openai-poll-after-ms</c> when it shows work in progress.</summary>
    private static Ok<JsonObject> Answer(HttpContext context, SandboxState state, JsonObject json, string status)
    {
        if (status == KnowledgeStoreFile.InProgress)
        {
            context.Response.Headers[PollAfterHeader] = state.Knowledge.PollAfterMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return TypedResults.Ok(json);
    }

    private static JsonHttpResult<JsonObject>? MissingFile(SandboxState state, IReadOnlyList<string> fileIds) =>
        fileIds.FirstOrDefault(fileId => state.Knowledge.LiveFile(fileId) is null) is { } missing
            ? OpenAIErrors.Create(404, $"No file found with id '{missing}'.", OpenAIErrors.InvalidRequest, "file_id")
            : null;

    private static List<string> Strings(JsonNode? node) =>
        [.. (node as JsonArray ?? []).Select(RequestJson.Text).OfType<string>()];

    public static JsonHttpResult<JsonObject> StoreNotFound(string storeId) =>
        OpenAIErrors.Create(404, $"No vector store found with id '{storeId}'.", OpenAIErrors.InvalidRequest);

    private static JsonHttpResult<JsonObject> StoreFileNotFound(string storeId, string fileId) =>
        OpenAIErrors.Create(404, $"No file found with id '{fileId}' in vector store '{storeId}'.", OpenAIErrors.InvalidRequest);
}
