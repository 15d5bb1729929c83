using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using HorizonAI.Grains.Interfaces;
using HorizonAI.ServiceDefaults.Logging;
using HorizonAI.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Logging;

namespace HorizonAI.Grains.Tools;

/// <summary>A tool as the model is offered it: a function with its JSON Schema (never strict: the business wrote it).</summary>
public sealed record OfferedTool(string Name, string? Description, BinaryData Parameters);

/// <summary>A response's calls as an earlier attempt of the turn recorded them, each with the output the model is given.</summary>
public sealed record ResumedRound(int Round, IReadOnlyList<(RecordedCall Call, string Output)> Calls);

/// <summary>
/// The business's tools for one turn: what the model is offered, and the platform running the calls it makes. Every
/// call of a known tool is recorded (with its idempotency key) before its first attempt; the calls of one response
/// run in parallel; the turn stops offering tools once it made <c>MAX_TOOL_CALLS_PER_TURN</c> calls or spent
/// <c>TOOL_TURN_BUDGET_SECONDS</c> in them. A turn run again (a retry, or after a crash) resumes from the calls its
/// earlier attempt recorded instead of letting the model make them anew.
/// </summary>
public sealed partial class TurnTools
{
    private readonly ToolBox _box;
    private readonly BotDefinition _bot;
    private readonly ToolCaller _caller;
    private readonly long _turnKey;
    private readonly long _through;
    private readonly IReadOnlyList<RecordedCall> _recorded;
    private readonly List<RecordedCall> _unused;
    private bool _resuming;
    private readonly Dictionary<string, ToolTarget> _targets;
    private readonly Func<Task> _renewTyping;
    private readonly ILogger _logger;
    private int _calls;
    private TimeSpan _spent;
    private int _round;

    internal TurnTools(ToolBox box, BotDefinition bot, ToolCaller caller, long turnKey, long through, IReadOnlyList<RecordedCall> recorded,
        IReadOnlyList<(OfferedTool Tool, ToolTarget Target)> offered, Func<Task> renewTyping, ILogger logger)
    {
        _box = box;
        _bot = bot;
        _caller = caller;
        _turnKey = turnKey;
        _through = through;
        _recorded = recorded;
        _unused = [.. recorded];
        _resuming = recorded.Count > 0;
        _targets = offered.ToDictionary(o => o.Tool.Name, o => o.Target, StringComparer.Ordinal);
        Offered = [.. offered.Select(o => o.Tool)];
        _renewTyping = renewTyping;
        _logger = logger;
        _calls = recorded.Count;
        _round = recorded.Count == 0 ? 0 : recorded.Max(c => c.Round);
    }

    /// <summary>The business's tools the model is offered this turn (<c>request_human</c> is the assistant's own).</summary>
    public IReadOnlyList<OfferedTool> Offered { get; }

    /// <summary>The turn's <c>search_knowledge</c>, when the bot's documents are searched through the tool loop.</summary>
    public KnowledgeTarget? Knowledge => _targets.Values.OfType<KnowledgeTarget>().FirstOrDefault();

    /// <summary>The calls a turn may make (<c>MAX_TOOL_CALLS_PER_TURN</c>).</summary>
    public int MaxCalls => _box.Options.MaxCallsPerTurn;

    /// <summary>Whether the turn has used up its calls or its tool time: the model is then asked to answer without tools.</summary>
    public bool Spent => _calls >= _box.Options.MaxCallsPerTurn || _spent >= TimeSpan.FromSeconds(_box.Options.TurnBudgetSeconds);

    /// <summary>Whether an earlier attempt of this turn recorded calls: the model has read the turn's messages up to <see cref="ResumedThrough"/>.</summary>
    public bool Resuming => _resuming;

    /// <summary>The newest message the model had read when the earlier attempt's calls were made.</summary>
    public long ResumedThrough => _recorded.Count == 0 ? 0 : _recorded.Max(c => c.ThroughMessageId);

    /// <summary>
    /// The rounds an earlier attempt recorded, each call with its output: a call that had not ended is made again,
    /// with its recorded key, so the business sees the same call (and can answer it from what it did the first time).
    /// </summary>
    public async Task<IReadOnlyList<ResumedRound>> ResumeAsync(CancellationToken cancellationToken)
    {
        _unused.Clear();
        var rounds = new List<ResumedRound>();
        foreach (var round in _recorded.GroupBy(c => c.Round).OrderBy(g => g.Key))
        {
            var calls = round.OrderBy(c => c.Position).ToList();
            var outputs = await RunRecordedAsync(calls, cancellationToken);
            rounds.Add(new ResumedRound(round.Key, [.. calls.Select((c, i) => (c, outputs[i]))]));
        }

        return rounds;
    }

    /// <summary>
    /// The model's conversation does not hold the recorded calls as the earlier attempt left them (it answered them
    /// already, or it was lost): the turn is asked afresh, and a call the model makes again with the same arguments
    /// is still that recorded call, with its key and, if it ended, its output.
    /// </summary>
    public void AskAfresh()
    {
        _resuming = false;
        _unused.Clear();
        _unused.AddRange(_recorded);
    }

    /// <summary>
    /// Runs one response's calls: each known one recorded, then all of them in parallel within what the turn has
    /// left; a call of a tool the platform does not know, or beyond the turn's calls, is answered with an error.
    /// </summary>
    public async Task<IReadOnlyList<ToolOutput>> RunAsync(IReadOnlyList<ModelCall> calls, CancellationToken cancellationToken)
    {
        _round++;
        var outputs = new string?[calls.Count];
        var run = new List<(int Index, ModelCall Call)>();
        var searches = new List<Task>();
        foreach (var (call, index) in calls.Select((c, i) => (c, i)))
        {
            if (!_targets.TryGetValue(call.Name, out var target))
            {
                LogUnknownTool(_bot.PhoneNumber, call.Name);
                outputs[index] = ToolResult.Error("unknown tool");
            }
            else if (_calls >= _box.Options.MaxCallsPerTurn)
            {
                outputs[index] = ToolResult.Error("no more tool calls in this answer: answer the user with what you have");
            }
            else if (target is KnowledgeTarget knowledge)
            {
                // The bot's own documents, searched here and now: nothing to record.
                _calls++;
                searches.Add(Task.Run(async () => outputs[index] = await SearchAsync(knowledge, call, cancellationToken), cancellationToken));
            }
            else
            {
                _calls++;
                run.Add((index, call));
            }
        }

        if (run.Count > 0)
        {
            // A call the earlier attempt recorded with the same tool and arguments is that call, not a new one.
            var again = run.Select(r => Recorded(r.Call)).ToList();
            var fresh = run.Where((_, i) => again[i] is null).Select(r => r.Call).ToList();
            var recordedNow = fresh.Count == 0 ? [] : await _box.Store.RecordAsync(_bot.Id ?? "", _caller.UserNumber, _turnKey, _through, _round, fresh, cancellationToken);
            var next = 0;
            var recorded = again.Select(r => r ?? recordedNow[next++]).ToList();
            var results = await RunRecordedAsync(recorded, cancellationToken);
            foreach (var ((index, _), output) in run.Zip(results))
            {
                outputs[index] = output;
            }
        }

        await Task.WhenAll(searches);
        return [.. calls.Select((c, i) => new ToolOutput(c.CallId, outputs[i]!))];
    }

    private RecordedCall? Recorded(ModelCall call)
    {
        var match = _unused.FirstOrDefault(r => r.CallId == call.CallId)
            ?? _unused.FirstOrDefault(r => r.Tool == call.Name && SameArguments(r.Arguments, call.Arguments));
        if (match is not null)
        {
            _unused.Remove(match);
        }

        return match;
    }

    private static bool SameArguments(string recorded, string made)
    {
        if (recorded == made)
        {
            return true;
        }

        try
        {
            return JsonNode.DeepEquals(JsonNode.Parse(recorded), JsonNode.Parse(made));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Runs the calls that have not ended, in parallel, and returns every call's output in order.</summary>
    private async Task<string[]> RunRecordedAsync(IReadOnlyList<RecordedCall> calls, CancellationToken cancellationToken)
    {
        var open = calls.Where(c => !c.Finished).ToList();
        if (open.Count > 0)
        {
            await _renewTyping();
        }

        var started = _box.Time.GetTimestamp();
        var left = TimeSpan.FromSeconds(_box.Options.TurnBudgetSeconds) - _spent;
        if (left < TimeSpan.FromSeconds(1))
        {
            // A call recorded but never made, with no time left for it: the model is told, the business never called.
            left = TimeSpan.FromSeconds(1);
        }

        var results = await Task.WhenAll(calls.Select(c => c.Finished ? Task.FromResult(c.Output!) : CallAsync(c, left, cancellationToken)));
        _spent += _box.Time.GetElapsedTime(started);
        return results;
    }

    /// <summary>A search of the bot's own documents, a span under the turn (with how many passages it found, never the query).</summary>
    private async Task<string> SearchAsync(KnowledgeTarget knowledge, ModelCall call, CancellationToken cancellationToken)
    {
        using var span = HorizonTracing.Source.StartActivity("horizonai.knowledge.search");
        span?.SetTag(HorizonTracing.BotTag, _bot.PhoneNumber);
        span?.SetTag(HorizonTracing.UserTag, PhoneMask.Mask(_caller.UserNumber));
        try
        {
            var (output, hits) = await knowledge.SearchAsync(call.Arguments, cancellationToken);
            span?.SetTag("horizonai.knowledge.hits", hits);
            span?.SetTag(HorizonTracing.OutcomeTag, ToolCallStatus.Ok);
            return output;
        }
        catch (Exception ex) when (span is not null)
        {
            span.SetTag(HorizonTracing.OutcomeTag, ex.GetType().Name);
            span.SetStatus(ActivityStatusCode.Error);
            throw;
        }
    }

    private async Task<string> CallAsync(RecordedCall call, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var span = HorizonTracing.Source.StartActivity("horizonai.tool " + call.Tool, ActivityKind.Client);
        span?.SetTag(HorizonTracing.BotTag, _bot.PhoneNumber);
        span?.SetTag(HorizonTracing.UserTag, PhoneMask.Mask(_caller.UserNumber));
        span?.SetTag("horizonai.tool", call.Tool);
        var started = _box.Time.GetTimestamp();
        var result = await _targets[call.Tool].CallAsync(_box, _bot, call, _caller, deadline, cancellationToken);
        var elapsed = _box.Time.GetElapsedTime(started);
        span?.SetTag(HorizonTracing.OutcomeTag, result.Status);
        if (result.Status != ToolCallStatus.Ok)
        {
            span?.SetStatus(ActivityStatusCode.Error);
        }

        _box.Metrics.ToolCall(_bot.PhoneNumber, call.Tool, result.Status, elapsed);
        LogToolCalled(_bot.PhoneNumber, PhoneMask.Mask(_caller.UserNumber), call.Tool, result.Status, result.Attempts, elapsed.TotalMilliseconds);
        // Written before the model is given the output: a crash after this sends the output, not the call, again.
        await _box.Store.FinishAsync(call.Id, result.Status, result.Output, (int)Math.Min(int.MaxValue, elapsed.TotalMilliseconds), result.Attempts, CancellationToken.None);
        return result.Output;
    }

    [LoggerMessage(EventId = 2040, Level = LogLevel.Information, Message = "Bot {BotNumber}: tool {Tool} for {User}: {Outcome} after {Attempts} attempt(s), {ElapsedMs:F0} ms")]
    private partial void LogToolCalled(string botNumber, string user, string tool, string outcome, int attempts, double elapsedMs);

    [LoggerMessage(EventId = 2041, Level = LogLevel.Warning, Message = "Bot {BotNumber}: the assistant called {Tool}, which is not one of the bot's tools; it is told so")]
    private partial void LogUnknownTool(string botNumber, string tool);
}
