using HorizonAI.LoadGenerator.Cli;
using HorizonAI.LoadGenerator.Load;

namespace HorizonAI.LoadGenerator.Commands;

/// <summary>Options shared by the commands that send load.</summary>
public sealed record CommonOptions(
    string Mode, double Rate, double DurationSeconds, int Concurrency, int MaxConnections, int MaxInFlight, long MaxMessages, TimeSpan Timeout)
{
    /// <summary>The most messages one run may send: the benchmark stays bounded whatever it is asked.</summary>
    public const long HardMessageLimit = 5_000_000;

    public static CommonOptions Read(Arguments args, double defaultRate, double defaultDuration)
    {
        var mode = args.String("mode", LoadModes.Open);
        if (mode is not (LoadModes.Open or LoadModes.Closed))
        {
            throw new UsageException($"--mode must be {LoadModes.Open} or {LoadModes.Closed}");
        }

        var options = new CommonOptions(
            mode,
            args.Double("rate", defaultRate, 0.1, 100_000),
            args.Double("duration", defaultDuration, 0.5, 3_600),
            args.Int("concurrency", 64, 1, 10_000),
            args.Int("max-connections", 1_024, 1, 10_000),
            args.Int("max-in-flight", 16_384, 1, 100_000),
            args.Int("max-messages", 1_000_000, 1, (int)HardMessageLimit),

            // Twilio waits 15 s for a webhook's answer, then gives up on it.
            TimeSpan.FromSeconds(args.Double("timeout", 15, 0.1, 600)));
        if (mode == LoadModes.Open && options.PlannedMessages > options.MaxMessages)
        {
            throw new UsageException($"--rate x --duration is {options.PlannedMessages} messages, more than --max-messages {options.MaxMessages}");
        }

        return options;
    }

    /// <summary>Open loop: exactly rate x duration; closed loop: at most <see cref="MaxMessages"/>.</summary>
    public long PlannedMessages => Mode == LoadModes.Open ? (long)Math.Round(Rate * DurationSeconds) : MaxMessages;

    public Task RunAsync(LoadDriver driver, CancellationToken cancellationToken) =>
        Mode == LoadModes.Open
            ? driver.RunOpenAsync(Rate, PlannedMessages, MaxInFlight, cancellationToken)
            : driver.RunClosedAsync(Concurrency, TimeSpan.FromSeconds(DurationSeconds), MaxMessages, cancellationToken);
}
