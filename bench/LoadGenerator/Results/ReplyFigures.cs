using HorizonAI.LoadGenerator.Metrics;

namespace HorizonAI.LoadGenerator.Results;

/// <summary>What came back through the Twilio stand-in.</summary>
/// <param name="Answered">Messages quoted by at least one reply.</param>
/// <param name="Lost">Messages acknowledged with 200 that no reply quoted by the end of the drain.</param>
/// <param name="AnsweredUnacknowledged">Messages answered although their webhook did not get a 200 (e.g. timed out after the Gateway had stored it).</param>
/// <param name="Duplicated">Messages quoted by more than one reply.</param>
/// <param name="Misrouted">Replies quoting a message but sent to another user or from another bot.</param>
/// <param name="Untagged">Replies quoting no message of this run (e.g. fallback messages).</param>
/// <param name="Conversations">Distinct (bot, user) conversations that were sent a message.</param>
/// <param name="FirstReplySeconds">First reply, in seconds after the first send.</param>
/// <param name="LastReplySeconds">Last reply, in seconds after the first send.</param>
/// <param name="ReplyRate">Answered messages per second between the first and the last reply: the sustained end-to-end throughput (a backlog stretches the span and lowers it).</param>
/// <param name="DrainSeconds">From the last acknowledgement to the last reply (or to the drain timeout when replies were lost).</param>
/// <param name="EndToEnd">From the intended send time to the reply reaching the Twilio stand-in.</param>
/// <param name="Overhead">End to end minus the stand-ins' injected latency on that message's path: the platform's own share.</param>
public sealed record ReplyFigures(
    long RepliesSeen,
    long Answered,
    long Lost,
    long AnsweredUnacknowledged,
    long Duplicated,
    long Misrouted,
    long Untagged,
    long Conversations,
    double FirstReplySeconds,
    double LastReplySeconds,
    double ReplyRate,
    double DrainSeconds,
    bool DrainTimedOut,
    LatencySummary? EndToEnd,
    LatencySummary? Overhead);
