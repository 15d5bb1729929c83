namespace HorizonAI.LoadGenerator.Results;

/// <summary>The whole machine over the measured window, from <c>/proc/stat</c>.</summary>
/// <param name="BusyCores">Average cores busy, whoever used them.</param>
/// <param name="OtherCores">Average cores used by processes the benchmark did not start: anything above ~0.1 skews the figures.</param>
public sealed record MachineFigures(int Cores, double BusyCores, double OtherCores);
