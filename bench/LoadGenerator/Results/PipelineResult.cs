using System.Text.Json;

namespace HorizonAI.LoadGenerator.Results;

/// <summary>Everything one pipeline run measured; written as JSON and read back by the report.</summary>
/// <param name="CpuWindowSeconds">The window the process figures cover: first send to drain end.</param>
/// <param name="SandboxCounters">The sandbox's own counters at the end (<c>GET /_sandbox/counters</c>, minus its conversation list).</param>
public sealed record PipelineResult(
    DateTimeOffset StartedAt,
    ScenarioSettings Scenario,
    LoadFigures Load,
    ReplyFigures Replies,
    double CpuWindowSeconds,
    MachineFigures Machine,
    List<ProcessFigures> Processes,
    List<TimelineRow> Timeline,
    Dictionary<string, JsonElement> SandboxCounters);
