namespace HorizonAI.LoadGenerator.Results;

/// <summary>The same generator against a bare Kestrel endpoint: what this machine can do at best.</summary>
/// <param name="GeneratorCpuSeconds">CPU the generator itself used (it shares the cores with the server).</param>
public sealed record CeilingResult(string Label, DateTimeOffset StartedAt, double DurationSeconds, LoadFigures Load, double GeneratorCpuSeconds);
