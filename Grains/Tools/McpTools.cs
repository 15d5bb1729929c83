using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HorizonAI.Grains.Interfaces;
using HorizonAI.ServiceDefaults.Configuration;
using HorizonAI.ServiceDefaults.Outbound;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace HorizonAI.Grains.Tools;

/// <summary>
/// The bots' MCP servers, with the platform as their client over Streamable HTTP (the official SDK). A server's tools
/// are listed once and kept per bot configuration for <see cref="ListingLifetime"/> (a new configuration lists them
/// again); they are offered to the model as <c>&lt;label&gt;__&lt;tool&gt;</c> with their own schemas, only the
/// <c>allowed_tools</c> when the bot names them. A server that cannot be listed leaves its tools out of the turn.
/// </summary>
public sealed partial class McpTools(IHttpClientFactory clients, IOptions<ToolOptions> options, TimeProvider time, ILoggerFactory loggers, ILogger<McpTools> logger)
{
    public const string HttpClientName = "mcp-servers";
    public const string Separator = "__";
    public static readonly TimeSpan ListingLifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan ListingTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Listing> _listings = new(StringComparer.Ordinal);

    /// <summary>The tools of the bot's MCP servers the model may call, each with where it goes.</summary>
    public async Task<IReadOnlyList<(OfferedTool Tool, ToolTarget Target)>> OfferedAsync(BotDefinition bot, ISet<string> taken, CancellationToken cancellationToken)
    {
        var offered = new List<(OfferedTool, ToolTarget)>();
        foreach (var server in bot.McpServers)
        {
            foreach (var tool in await ListAsync(bot, server, cancellationToken))
            {
                if (server.AllowedTools is { } allowed && !allowed.Contains(tool.Name, StringComparer.Ordinal))
                {
                    continue;
                }

                var name = server.Label + Separator + tool.Name;
                if (name.Length > 64 || !ToolName().IsMatch(name) || !taken.Add(name))
                {
                    LogToolLeftOut(bot.PhoneNumber, server.Label, tool.Name);
                    continue;
                }

                offered.Add((new OfferedTool(name, tool.Description, tool.Schema), new McpTarget(server, tool.Name)));
            }
        }

        return offered;
    }

    /// <summary>Calls one tool of a server; its result's text (or structured content) is the output, an error result an error.</summary>
    public async Task<ToolResult> CallAsync(BotDefinition bot, McpServer server, string tool, RecordedCall call, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        try
        {
            Dictionary<string, JsonElement>? arguments = null;
            if (call.Arguments.Length > 0)
            {
                using var parsed = JsonDocument.Parse(call.Arguments);
                arguments = parsed.RootElement.ValueKind == JsonValueKind.Object
                    ? parsed.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone())
                    : null;
            }

            await using var client = await ConnectAsync(server, timeout.Token);
            var result = await client.CallToolAsync(new CallToolRequestParams
            {
                Name = tool,
                Arguments = arguments,
                // MCP has no idempotency header: the key rides in the request's metadata, the same on every attempt.
                Meta = new JsonObject { ["io.horizonai/idempotency_key"] = call.IdempotencyKey },
            }, timeout.Token);
            var output = Output(result);
            if (Encoding.UTF8.GetByteCount(output) > options.Value.MaxOutputBytes)
            {
                return ToolResult.Failed(1, $"the tool answered more than {options.Value.MaxOutputBytes} bytes");
            }

            return result.IsError == true ? ToolResult.Failed(1, JsonSerializer.Deserialize<string>(output) ?? "the tool failed") : ToolResult.Ok(1, output);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ToolResult.TimedOut(1, deadline);
        }
        catch (JsonException)
        {
            return ToolResult.Failed(1, "the arguments are not a JSON object");
        }
        catch (HttpRequestException refused) when (refused.InnerException is OutboundUrlRefusedException)
        {
            return ToolResult.Failed(1, "the MCP server is at an address that is not allowed: " + refused.InnerException.Message);
        }
        catch (Exception ex) when (ex is HttpRequestException or ModelContextProtocol.McpException or IOException)
        {
            LogServerFailed(bot.PhoneNumber, server.Label, ex.GetType().Name);
            return ToolResult.Failed(1, "the MCP server could not be reached or refused the call");
        }
    }

    private async Task<IReadOnlyList<ListedTool>> ListAsync(BotDefinition bot, McpServer server, CancellationToken cancellationToken)
    {
        var key = $"{bot.Id}|{bot.Version}|{server.Label}";
        if (_listings.TryGetValue(key, out var cached) && time.GetUtcNow() - cached.At < ListingLifetime)
        {
            return cached.Tools;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ListingTimeout);
            await using var client = await ConnectAsync(server, timeout.Token);
            var listed = await client.ListToolsAsync(cancellationToken: timeout.Token);
            var tools = listed.Select(t => new ListedTool(t.Name, t.Description, BinaryData.FromString(t.JsonSchema.GetRawText()))).ToList();
            foreach (var stale in _listings.Keys.Where(k => k.StartsWith(bot.Id + "|", StringComparison.Ordinal) && k.EndsWith("|" + server.Label, StringComparison.Ordinal) && k != key))
            {
                _listings.TryRemove(stale, out _);
            }

            _listings[key] = new Listing(tools, time.GetUtcNow());
            LogListed(bot.PhoneNumber, server.Label, tools.Count);
            return tools;
        }
        catch (Exception ex) when (ex is HttpRequestException or ModelContextProtocol.McpException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // An older listing is better than none while the server is down.
            LogServerFailed(bot.PhoneNumber, server.Label, ex.GetType().Name);
            return cached?.Tools ?? [];
        }
    }

    private async Task<McpClient> ConnectAsync(McpServer server, CancellationToken cancellationToken)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(server.Url),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = server.Headers,
            Name = server.Label,
        }, clients.CreateClient(HttpClientName), loggers, ownsHttpClient: false);
        return await McpClient.CreateAsync(transport, new McpClientOptions { TimeProvider = time }, loggers, cancellationToken);
    }

    /// <summary>Structured content when the server gives it, else its text blocks joined; as JSON for the model.</summary>
    private static string Output(CallToolResult result)
    {
        if (result.StructuredContent is { } structured && result.IsError != true)
        {
            return structured.GetRawText();
        }

        var text = string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text));
        return JsonSerializer.Serialize(text);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex ToolName();

    private sealed record ListedTool(string Name, string? Description, BinaryData Schema);

    private sealed record Listing(IReadOnlyList<ListedTool> Tools, DateTimeOffset At);

    [LoggerMessage(EventId = 2042, Level = LogLevel.Information, Message = "Bot {BotNumber}: MCP server {Label} lists {Count} tool(s)")]
    private partial void LogListed(string botNumber, string label, int count);

    [LoggerMessage(EventId = 2043, Level = LogLevel.Warning, Message = "Bot {BotNumber}: MCP server {Label} failed ({Error}); its tools are left out until it answers")]
    private partial void LogServerFailed(string botNumber, string label, string error);

    [LoggerMessage(EventId = 2044, Level = LogLevel.Warning, Message = "Bot {BotNumber}: MCP tool {Tool} of {Label} is left out: its name does not fit in 64 characters or is taken")]
    private partial void LogToolLeftOut(string botNumber, string label, string tool);
}
