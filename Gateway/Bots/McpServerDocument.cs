using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using HorizonAI.Gateway.Infrastructure.Validation;
using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Gateway.Bots;

/// <summary>
/// An MCP server (Streamable HTTP) whose tools the assistant may call: <c>{"label": "inventory", "url": "https://…",
/// "headers": {"Authorization": "Bearer …"}, "allowed_tools": ["stock_lookup"]}</c> (SPEC §10).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class McpServerDocument
{
    private const string LabelRule = "label must be 1 to 32 letters, digits, _ or -, such as inventory";

    /// <summary>The prefix of its tools' names as the model sees them (<c>inventory__stock_lookup</c>).</summary>
    [JsonPropertyName("label")]
    [Required(ErrorMessage = LabelRule)]
    [RegularExpression("[A-Za-z0-9_-]{1,32}", ErrorMessage = LabelRule)]
    public string? Label { get; set; }

    [JsonPropertyName("url")]
    [Required(ErrorMessage = "url is required: the server's Streamable HTTP endpoint, such as https://mcp.example.com/mcp")]
    [OutboundUrl("url", BotDocument.MaxUrlLength)]
    public string? Url { get; set; }

    /// <summary>Sent with every request to the server (e.g. Authorization); secrets, shown as (hidden) to keys below manage.</summary>
    [JsonPropertyName("headers")]
    [HeaderMap(ErrorMessage = "headers must be an object of at most 16 HTTP headers: names of letters, digits and -, values of at most 4096 characters on one line")]
    public Dictionary<string, string>? Headers { get; set; }

    /// <summary>The server's tools the model is offered; null: all of them.</summary>
    [JsonPropertyName("allowed_tools")]
    [ToolNameList(ErrorMessage = "allowed_tools must be a list of at most 64 tool names of 1 to 64 letters, digits, _ or -")]
    public List<string>? AllowedTools { get; set; }

    public McpServer ToServer() => new()
    {
        Label = Label!,
        Url = Url!.Trim(),
        Headers = Headers is null ? [] : new Dictionary<string, string>(Headers),
        AllowedTools = AllowedTools?.ToArray(),
    };

    public static McpServerDocument From(McpServer server) => new()
    {
        Label = server.Label,
        Url = server.Url,
        Headers = new Dictionary<string, string>(server.Headers),
        AllowedTools = server.AllowedTools?.ToList(),
    };
}
