namespace HorizonAI.Grains.Interfaces;

/// <summary>
/// A function of the business's own system the assistant may call: the model sees the name, description and JSON
/// Schema of the parameters; the platform POSTs each call to <see cref="Url"/>, signed with the bot's tools secret.
/// </summary>
[GenerateSerializer, Immutable, Alias("horizonai.function-tool")]
public sealed record FunctionTool
{
    /// <summary>What the model calls it: letters, digits, <c>_</c> and <c>-</c>, at most 64 characters.</summary>
    [Id(0)] public required string Name { get; init; }

    [Id(1)] public string? Description { get; init; }

    /// <summary>The JSON Schema (an object schema) of the arguments, as JSON text.</summary>
    [Id(2)] public required string Parameters { get; init; }

    [Id(3)] public required string Url { get; init; }

    /// <summary>How long one attempt may take; null: <see cref="DefaultTimeoutMs"/>.</summary>
    [Id(4)] public int? TimeoutMs { get; init; }

    public const int DefaultTimeoutMs = 10_000;
    public const int MinTimeoutMs = 500;
    public const int MaxTimeoutMs = 30_000;
}

/// <summary>
/// A Model Context Protocol server (Streamable HTTP) whose tools the platform offers the model as
/// <c>&lt;label&gt;__&lt;tool&gt;</c> and calls itself, with the configured headers.
/// </summary>
[GenerateSerializer, Immutable, Alias("horizonai.mcp-server")]
public sealed record McpServer
{
    /// <summary>Letters, digits, <c>_</c> and <c>-</c>; the prefix of its tools' names.</summary>
    [Id(0)] public required string Label { get; init; }

    [Id(1)] public required string Url { get; init; }

    /// <summary>Sent with every request to the server (e.g. <c>Authorization</c>); a secret, hidden below <c>manage</c>.</summary>
    [Id(2)] public Dictionary<string, string> Headers { get; init; } = [];

    /// <summary>The server's tools the model is offered; null: all of them.</summary>
    [Id(3)] public string[]? AllowedTools { get; init; }
}
