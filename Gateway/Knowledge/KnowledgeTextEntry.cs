using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace HorizonAI.Gateway.Knowledge;

/// <summary>A document typed in rather than uploaded: <c>{"title": "Opening hours", "text": "…"}</c>.</summary>
/// <remarks>
/// The route also takes a file, so it reads this body itself: <c>ValidatableType</c> has the validation generator
/// describe it as it does the documents that handlers take.
/// </remarks>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[Microsoft.Extensions.Validation.ValidatableType]
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
