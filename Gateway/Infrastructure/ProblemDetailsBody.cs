using System.Text.Json.Serialization;

namespace HorizonAI.Gateway.Infrastructure;

/// <summary>An RFC 7807 body for typed results that carry one (404, 409).</summary>
public sealed record ProblemDetailsBody(
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("detail"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail)
{
    [JsonPropertyName("type")]
    public string Type => $"https://tools.ietf.org/html/rfc9110#section-15.5.{(Status == 404 ? 5 : Status == 409 ? 10 : 1)}";
}
