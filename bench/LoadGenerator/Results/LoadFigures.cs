using HorizonAI.LoadGenerator.Metrics;

namespace HorizonAI.LoadGenerator.Results;

/// <summary>How the webhook requests went, for the pipeline and for the bare-Kestrel ceiling alike.</summary>
/// <param name="Mode"><c>open</c> (fixed schedule at <paramref name="TargetRate"/>) or <c>closed</c> (<paramref name="Concurrency"/> senders).</param>
/// <param name="Statuses">Answers by HTTP status; <c>timed out</c> and <c>transport error</c> for requests that got none.</param>
/// <param name="ScheduleSeconds">Open loop: from the first to the last intended send time; closed loop: from the first to the last actual send.</param>
/// <param name="OfferedRate">Messages sent per second of the schedule.</param>
/// <param name="WindowSeconds">From the first send to the last answer.</param>
/// <param name="OkRate">Messages answered 200 per second of the window: the sustained acknowledgement throughput.</param>
/// <param name="Ack">Acknowledgement latency (200s only): open loop from the intended send time, closed loop from the actual one.</param>
/// <param name="DispatchLag">Open loop: how late the generator itself sent each message (its own limit, also inside <paramref name="Ack"/>).</param>
public sealed record LoadFigures(
    string Mode,
    double TargetRate,
    int Concurrency,
    long Sent,
    long Ok,
    Dictionary<string, long> Statuses,
    double ScheduleSeconds,
    double OfferedRate,
    double WindowSeconds,
    double OkRate,
    LatencySummary? Ack,
    LatencySummary? DispatchLag);
