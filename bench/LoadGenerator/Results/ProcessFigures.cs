namespace HorizonAI.LoadGenerator.Results;

/// <summary>One process's cost over the measured window (first send to last reply).</summary>
/// <param name="Tree">Whether its children were counted too (PostgreSQL's backends).</param>
/// <param name="AverageCores">CPU seconds per wall-clock second of the window.</param>
/// <param name="CpuMsPerMessage">CPU milliseconds per message stored (acknowledged with 200).</param>
/// <param name="PeakRssMiB">VmHWM at the end: the most resident memory the process ever had (0 for a tree).</param>
/// <param name="MaxSampledRssMiB">The highest RSS seen by the once-a-second readings (for a tree: summed private RSS).</param>
public sealed record ProcessFigures(
    string Name,
    int Pid,
    bool Tree,
    bool AliveAtEnd,
    double CpuSeconds,
    double AverageCores,
    double CpuMsPerMessage,
    double PeakRssMiB,
    double MaxSampledRssMiB,
    double EndRssMiB);
