using System.Text.Json.Serialization;
using HorizonAI.Storage.Knowledge;

namespace HorizonAI.Gateway.Knowledge;

/// <summary>A document as the admin API shows it (SPEC §9); <c>text_preview</c> only when one document is read.</summary>
public sealed record KnowledgeDocumentView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("file_name")] string? FileName,
    [property: JsonPropertyName("content_type")] string ContentType,
    [property: JsonPropertyName("bytes")] int Bytes,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt)
{
    [JsonPropertyName("text_preview"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TextPreview { get; init; }

    public static KnowledgeDocumentView From(KnowledgeDocument document) => new(
        document.Id, document.Title, document.FileName, document.ContentType, document.Bytes, document.Status, document.Error,
        document.CreatedAt, document.UpdatedAt)
    {
        TextPreview = document.TextPreview,
    };
}
