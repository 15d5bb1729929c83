using System.Text.Json.Serialization;
using HorizonAI.Storage.Knowledge;

namespace HorizonAI.Gateway.Knowledge;

/// <summary>
/// A page of a bot's documents, newest first, and its upstream vector store: its id (null before the first document is
/// indexed), the bytes it uses, and, when it was found gone upstream, when and why (a reindex rebuilds it).
/// </summary>
public sealed record KnowledgeListView(
    [property: JsonPropertyName("items")] KnowledgeDocumentView[] Items,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("offset")] int Offset,
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("vector_store_id")] string? VectorStoreId,
    [property: JsonPropertyName("usage_bytes")] long UsageBytes,
    [property: JsonPropertyName("store_lost")] bool StoreLost,
    [property: JsonPropertyName("store_lost_at")] DateTimeOffset? StoreLostAt,
    [property: JsonPropertyName("store_error")] string? StoreError)
{
    public static KnowledgeListView From(KnowledgePage page, int offset, int limit) => new(
        [.. page.Items.Select(KnowledgeDocumentView.From)], page.Total, offset, limit,
        page.Store?.VectorStoreId, page.Store?.UsageBytes ?? 0, page.Store?.LostAt is not null, page.Store?.LostAt, page.Store?.Error);
}
