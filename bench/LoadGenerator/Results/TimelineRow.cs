namespace HorizonAI.LoadGenerator.Results;

/// <summary>One slice of the run: what was sent, acknowledged and answered in it, and what it cost.</summary>
/// <param name="AckP99Ms">p99 acknowledgement latency of the messages sent in this slice.</param>
/// <param name="Answered">Messages whose first reply arrived in this slice.</param>
/// <param name="CpuPercent">Per process, CPU use in this slice (100 = one core).</param>
/// <param name="RssMiB">Per process, resident memory at the end of the slice.</param>
public sealed record TimelineRow(
    double StartSeconds,
    double EndSeconds,
    long Sent,
    long Ok,
    double? AckP99Ms,
    long Answered,
    Dictionary<string, double> CpuPercent,
    Dictionary<string, double> RssMiB);
