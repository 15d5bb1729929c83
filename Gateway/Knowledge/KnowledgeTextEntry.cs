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
    [JsonPropertyName("title")]
    [Required(ErrorMessage = "title is required")]
    [DocumentTitle]
    [RegularExpression(@"[\s\S]*\S[\s\S]*", ErrorMessage = "title is required")]
    public string? Title { get; set; }

    [JsonPropertyName("text")]
    [Required(ErrorMessage = "text is required")]
    public string? Text { get; set; }
}
