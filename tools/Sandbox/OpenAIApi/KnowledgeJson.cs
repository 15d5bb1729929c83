using System.Text.Json.Nodes;
using HorizonAI.Sandbox.Knowledge;

namespace HorizonAI.Sandbox.OpenAIApi;

/// <summary>Vector stores, their files and OpenAI's list page as the OpenAI .NET SDK 2.15.0 reads them.</summary>
internal static class KnowledgeJson
{
    /// <summary>A single page: <c>{"object":"list","data","first_id","last_id","has_more":false}</c>.</summary>
    public static JsonObject List(IEnumerable<JsonObject> items)
    {
        var data = items.ToArray();
        return new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray([.. data]),
            ["first_id"] = data.Length == 0 ? null : RequestJson.Text(data[0]["id"]),
            ["last_id"] = data.Length == 0 ? null : RequestJson.Text(data[^1]["id"]),
            ["has_more"] = false,
        };
    }

    public static JsonObject Store(KnowledgeStore store) => new()
    {
        ["id"] = store.Id,
        ["object"] = "vector_store",
        ["created_at"] = store.CreatedAt.ToUnixTimeSeconds(),
        ["name"] = store.Name,
        ["usage_bytes"] = store.UsageBytes,
        ["file_counts"] = Counts(store.Files),
        ["status"] = store.Status,
        ["expires_after"] = null,
        ["expires_at"] = null,
        ["last_active_at"] = store.CreatedAt.ToUnixTimeSeconds(),
        ["metadata"] = Metadata(store.Metadata),
    };

    public static JsonObject Counts(IReadOnlyList<KnowledgeStoreFile> files) => new()
    {
        ["in_progress"] = files.Count(file => file.Status == KnowledgeStoreFile.InProgress),
        ["completed"] = files.Count(file => file.Status == KnowledgeStoreFile.Completed),
        ["failed"] = files.Count(file => file.Status == KnowledgeStoreFile.Failed),
        ["cancelled"] = 0,
        ["total"] = files.Count,
    };

    public static JsonObject StoreFile(KnowledgeStoreFile file) => new()
    {
        ["id"] = file.FileId,
        ["object"] = "vector_store.file",
        ["usage_bytes"] = file.UsageBytes,
        ["created_at"] = file.CreatedAt.ToUnixTimeSeconds(),
        ["vector_store_id"] = file.VectorStoreId,
        ["status"] = file.Status,
        ["last_error"] = file.LastErrorMessage is { } message
            ? new JsonObject { ["code"] = KnowledgeStoreFile.ErrorCode, ["message"] = message }
            : null,
        ["chunking_strategy"] = new JsonObject
        {
            ["type"] = "static",
            ["static"] = new JsonObject { ["max_chunk_size_tokens"] = 800, ["chunk_overlap_tokens"] = 400 },
        },
        ["attributes"] = new JsonObject(),
    };

    private static JsonObject Metadata(IReadOnlyDictionary<string, string> metadata)
    {
        var json = new JsonObject();
        foreach (var (key, value) in metadata)
        {
            json[key] = value;
        }

        return json;
    }
}
