using HorizonAI.Grains.Assistants;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Knowledge;
using HorizonAI.ServiceDefaults.Configuration;
using HorizonAI.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HorizonAI.Grains.Tools;

/// <summary>Opens the business's tools for a turn: the bot's function tools and its MCP servers' tools, and what an earlier attempt recorded.</summary>
public sealed class ToolBox(
    IToolCallStore store,
    FunctionToolCaller functions,
    McpTools mcp,
    KnowledgeSearch search,
    IOptions<ToolOptions> options,
    HorizonMetrics metrics,
    TimeProvider time,
    ILogger<TurnTools> logger)
{
    internal IToolCallStore Store => store;

    internal FunctionToolCaller Functions => functions;

    internal McpTools Mcp => mcp;

    internal ToolOptions Options => options.Value;

    internal HorizonMetrics Metrics => metrics;

    internal TimeProvider Time => time;

    /// <param name="turnKey">The id of the oldest message the turn answers.</param>
    /// <param name="through">The id of the newest message the turn answers.</param>
    /// <param name="renewTyping">Shows the typing indicator again, for a wait on the business's tools.</param>
    /// <param name="searchKnowledge">Whether the model is offered <c>search_knowledge</c> over the bot's documents (Chat Completions).</param>
    public async Task<TurnTools> OpenAsync(BotDefinition bot, ToolCaller caller, long turnKey, long through, Func<Task> renewTyping, bool searchKnowledge,
        CancellationToken cancellationToken)
    {
        (OfferedTool, ToolTarget)[] knowledge = searchKnowledge ? [(KnowledgeTool.Offered, new KnowledgeTarget(search, bot))] : [];
        if (!bot.HasBusinessTools)
        {
            return new TurnTools(this, bot, caller, turnKey, through, [], knowledge, renewTyping, logger);
        }

        var recorded = await store.LoadTurnAsync(bot.Id ?? "", caller.UserNumber, turnKey, cancellationToken);
        var taken = new HashSet<string>(StringComparer.Ordinal) { Handoff.ToolName, KnowledgeTool.Name };
        var offered = bot.Tools
            .Where(t => taken.Add(t.Name))
            .Select(t => (new OfferedTool(t.Name, t.Description, BinaryData.FromString(t.Parameters)), (ToolTarget)new FunctionTarget(t)))
            .ToList();
        offered.AddRange(await mcp.OfferedAsync(bot, taken, cancellationToken));
        offered.AddRange(knowledge);
        return new TurnTools(this, bot, caller, turnKey, through, recorded, offered, renewTyping, logger);
    }
}
