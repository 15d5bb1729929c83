using HorizonAI.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;

namespace HorizonAI.Storage.GroupCommit;

/// <summary>How a process's message writer (the Gateway's or a silo's) gathers its writes into shared commits.</summary>
public sealed class GroupCommitOptions
{
    public const string MaxBatchVariable = "GROUP_COMMIT_MAX_BATCH";
    public const string DelayVariable = "GROUP_COMMIT_DELAY_MS";
    public const string FlushesVariable = "GROUP_COMMIT_FLUSHES";

    /// <summary>The most writes one commit carries.</summary>
    [SettingRange(1, 10_000, ErrorMessage = MaxBatchVariable + " must be a whole number of writes from 1 to 10000")]
    public int MaxBatch { get; set; } = 256;

    /// <summary>
    /// How long a flush waits for more writes when there is load (another flush under way, several writes already
    /// waiting, or the last flush begun within this delay); a write that finds the writer idle never waits.
    /// </summary>
    [SettingRange(0, 100, ErrorMessage = DelayVariable + " must be a whole number of milliseconds from 0 to 100")]
    public int DelayMs { get; set; } = 2;

    /// <summary>How many flushes may be under way at once (each on its own connection).</summary>
    [SettingRange(1, 16, ErrorMessage = FlushesVariable + " must be a whole number from 1 to 16")]
    public int Flushes { get; set; } = 2;

    public static GroupCommitOptions From(IConfiguration configuration) => new()
    {
        MaxBatch = configuration.Integer(MaxBatchVariable, 256),
        DelayMs = configuration.Integer(DelayVariable, 2),
        Flushes = configuration.Integer(FlushesVariable, 2),
    };
}
