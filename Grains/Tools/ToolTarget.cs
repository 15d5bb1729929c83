using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Grains.Tools;

/// <summary>Where a call of an offered tool goes: a function of the business, or a tool of one of its MCP servers.</summary>
public abstract class ToolTarget
{
    public abstract Task<ToolResult> CallAsync(ToolBox box, BotDefinition bot, RecordedCall call, ToolCaller caller, TimeSpan deadline, CancellationToken cancellationToken);
}

public sealed class FunctionTarget(FunctionTool tool) : ToolTarget
{
    public override Task<ToolResult> CallAsync(ToolBox box, BotDefinition bot, RecordedCall call, ToolCaller caller, TimeSpan deadline, CancellationToken cancellationToken) =>
        box.Functions.CallAsync(bot, tool, call, caller, deadline, cancellationToken);
}

public sealed class McpTarget(McpServer server, string tool) : ToolTarget
{
    public override Task<ToolResult> CallAsync(ToolBox box, BotDefinition bot, RecordedCall call, ToolCaller caller, TimeSpan deadline, CancellationToken cancellationToken) =>
        box.Mcp.CallAsync(bot, server, tool, call, deadline, cancellationToken);
}

/// <summary>
/// <c>search_knowledge</c>: the platform's full-text search over the bot's own documents, run in the turn without a
/// record (it changes nothing for the business); each search and the documents it returned are tallied for the turn.
/// </summary>
public sealed class KnowledgeTarget(Knowledge.KnowledgeSearch search, BotDefinition bot) : ToolTarget
{
    private readonly List<Storage.KnowledgeSource> _sources = [];
    private int _searches;

    public IReadOnlyList<Storage.KnowledgeSource> Sources
    {
        get { lock (_sources) { return [.. _sources.DistinctBy(s => s.Id)]; } }
    }

    public int Searches => Volatile.Read(ref _searches);

    /// <summary>Searches the bot's chunks for the model's query: the output the model is given, and how many passages it holds.</summary>
    public async Task<(string Output, int Hits)> SearchAsync(string arguments, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _searches);
        var hits = await search.SearchAsync(bot, Knowledge.KnowledgeTool.QueryOf(arguments), Knowledge.KnowledgeTool.Results, cancellationToken);
        lock (_sources)
        {
            _sources.AddRange(Knowledge.KnowledgeTool.SourcesOf(hits));
        }

        return (Knowledge.KnowledgeTool.Output(hits), hits.Count);
    }

    public override async Task<ToolResult> CallAsync(ToolBox box, BotDefinition bot, RecordedCall call, ToolCaller caller, TimeSpan deadline, CancellationToken cancellationToken) =>
        ToolResult.Ok(1, (await SearchAsync(call.Arguments, cancellationToken)).Output);
}
