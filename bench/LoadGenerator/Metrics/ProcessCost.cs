using System.Diagnostics;
using HorizonAI.LoadGenerator.Results;

namespace HorizonAI.LoadGenerator.Metrics;

/// <summary>Each watched process's CPU and memory between two samples.</summary>
public static class ProcessCost
{
    public static List<ProcessFigures> Between(ProcessWatch watch, ProcessSample start, ProcessSample end, double clockTicksPerSecond, long messages)
    {
        var window = (end.Timestamp - start.Timestamp) / (double)Stopwatch.Frequency;
        var figures = new List<ProcessFigures>();
        for (var i = 0; i < watch.Processes.Count; i++)
        {
            var process = watch.Processes[i];
            var cpu = Math.Max(0, end.Readings[i].CpuTicks - start.Readings[i].CpuTicks) / clockTicksPerSecond;
            figures.Add(new ProcessFigures(
                process.Name,
                process.Pid,
                process.Tree,
                end.Readings[i].Alive,
                Math.Round(cpu, 2),
                window > 0 ? Math.Round(cpu / window, 3) : 0,
                messages > 0 ? Math.Round(cpu * 1000 / messages, 4) : 0,
                MiB(end.Readings[i].PeakRssKiB),
                MiB(watch.MaxSampledRssKiB(i)),
                MiB(end.Readings[i].RssKiB)));
        }

        return figures;
    }

    public static MachineFigures Machine(ProcessSample start, ProcessSample end, double clockTicksPerSecond)
    {
        var window = (end.Timestamp - start.Timestamp) / (double)Stopwatch.Frequency;
        double Cores(long ticks) => window > 0 ? Math.Round(Math.Max(0, ticks) / clockTicksPerSecond / window, 3) : 0;
        return new MachineFigures(
            Environment.ProcessorCount,
            Cores(end.MachineBusyTicks - start.MachineBusyTicks),
            Cores(end.OtherTicks - start.OtherTicks));
    }

    public static double MiB(long kib) => Math.Round(kib / 1024.0, 1);
}
