using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Grains.Tools;

/// <summary>Where a call of an offered tool goes: a function of the business, or a tool of one of its MCP servers.</summary>
public abstract record ToolTarget
{
    public abstract Task<ToolResult> CallAsync(ToolBox box, BotDefinition bot, RecordedCall call, ToolCaller caller, TimeSpan deadline, CancellationToken cancellationToken);
}

public sealed record FunctionTarget(FunctionTool Tool) : ToolTarget
{
    public override Task<ToolResult> CallAsync(ToolBox box, BotDefinition bot, RecordedCall call, ToolCaller caller, TimeSpan deadline, CancellationToken cancellationToken) =>
        box.Functions.CallAsync(bot, Tool, call, caller, deadline, cancellationToken);
}

public sealed record McpTarget(McpServer Server, string Tool) : ToolTarget
{
    public override Task<ToolResult> CallAsync(ToolBox box, BotDefinition bot, RecordedCall call, ToolCaller caller, TimeSpan deadline, CancellationToken cancellationToken) =>
        box.Mcp.CallAsync(bot, Server, Tool, call, deadline, cancellationToken);
}
