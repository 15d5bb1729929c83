using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace HorizonAI.Gateway.Knowledge;

/// <summary>A document typed in rather than uploaded: <c>{"title": "Opening hours", "text": "…"}</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class KnowledgeTextEntry
{
    public const int MaxTitleLength = 200;

    [JsonPropertyName("title")]
    [Required(ErrorMessage = "title is required")]
    [StringLength(MaxTitleLength, ErrorMessage = "title must be at most 200 characters")]
    [RegularExpression(@"[\s\S]*\S[\s\S]*", ErrorMessage = "title is required")]
    public string? Title { get; set; }

    [JsonPropertyName("text")]
    [Required(ErrorMessage = "text is required")]
    public string? Text { get; set; }
}
