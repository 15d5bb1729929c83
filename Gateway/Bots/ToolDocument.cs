using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using HorizonAI.Gateway.Infrastructure.Validation;
using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Gateway.Bots;

/// <summary>
/// A function of the business's own system: <c>{"name": "book_table", "description": "…", "parameters": {"type":
/// "object", …}, "url": "https://…", "timeout_ms": 8000}</c> (SPEC §10).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class ToolDocument
{
    public const int MaxDescriptionLength = 1024;
    public const int MaxParametersLength = 32_768;

    private const string NameRule = "name must be 1 to 64 letters, digits, _ or -, such as book_table";
    private const string ParametersRule = "parameters must be the JSON Schema of the arguments: an object whose type is \"object\" (at most 32768 characters of JSON)";
    private const string TimeoutRule = "timeout_ms must be between 500 and 30000, or null for 10000";

    /// <summary>What the model calls it.</summary>
    [JsonPropertyName("name")]
    [Required(ErrorMessage = NameRule)]
    [ToolName(ErrorMessage = NameRule)]
    public string? Name { get; set; }

    /// <summary>What the model is told it does and when to use it.</summary>
    [JsonPropertyName("description")]
    [StringLength(MaxDescriptionLength, ErrorMessage = "description must be at most 1024 characters")]
    public string? Description { get; set; }

    /// <summary>The JSON Schema of its arguments (an object schema).</summary>
    [JsonPropertyName("parameters")]
    [Required(ErrorMessage = ParametersRule)]
    [JsonObjectSchema(MaxParametersLength, ErrorMessage = ParametersRule)]
    public JsonElement? Parameters { get; set; }

    /// <summary>Where each call is POSTed, signed with the bot's tools_secret: https to a public host, or one of TOOL_PRIVATE_HOSTS.</summary>
    [JsonPropertyName("url")]
    [Required(ErrorMessage = "url is required: where each call is POSTed, such as https://api.example.com/horizon/book")]
    [OutboundUrl("url", BotDocument.MaxUrlLength)]
    public string? Url { get; set; }

    /// <summary>How long one attempt may take; null: 10000.</summary>
    [JsonPropertyName("timeout_ms")]
    [Range(FunctionTool.MinTimeoutMs, FunctionTool.MaxTimeoutMs, ErrorMessage = TimeoutRule)]
    public int? TimeoutMs { get; set; }

    public FunctionTool ToTool() => new()
    {
        Name = Name!,
        Description = string.IsNullOrWhiteSpace(Description) ? null : Description,
        Parameters = JsonSerializer.Serialize(Parameters!.Value),
        Url = Url!.Trim(),
        TimeoutMs = TimeoutMs,
    };

    public static ToolDocument From(FunctionTool tool) => new()
    {
        Name = tool.Name,
        Description = tool.Description,
        Parameters = JsonSerializer.Deserialize<JsonElement>(tool.Parameters),
        Url = tool.Url,
        TimeoutMs = tool.TimeoutMs,
    };
}
