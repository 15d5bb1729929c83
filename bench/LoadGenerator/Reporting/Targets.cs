namespace HorizonAI.LoadGenerator.Reporting;

/// <summary>The product's performance targets for the standard scenario.</summary>
public static class Targets
{
    public const double Rate = 1_000;
    public const double DurationSeconds = 60;
    public const double AckP99Ms = 50;
    public const double SiloMemoryMiB = 1_024;
    public const int Conversations = 50_000;

    /// <summary>Database commits (pg_stat_database xact_commit, read-only ones too) per message stored.</summary>
    public const double CommitsPerMessage = 0.2;

    /// <summary>CPU of the product's own processes (Silo, Gateway, PostgreSQL) per message stored.</summary>
    public const double ProductCpuMsPerMessage = 1.5;

    /// <summary>A sustained rate within 1 % of the target counts as meeting it (timer granularity, the first and last reply).</summary>
    public const double RateTolerance = 0.99;
}
