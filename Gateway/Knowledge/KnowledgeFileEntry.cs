using System.Text.Json.Serialization;
using Microsoft.Extensions.Validation;

namespace HorizonAI.Gateway.Knowledge;

/// <summary>
/// The fields of a multipart upload besides its file (<c>title</c>, optional: the file's name when absent), validated
/// as a document of their own so that a file's title and a typed-in entry's follow one rule.
/// </summary>
[ValidatableType]
public sealed class KnowledgeFileEntry
{
    [JsonPropertyName("title")]
    [DocumentTitle]
    public string? Title { get; set; }
}
