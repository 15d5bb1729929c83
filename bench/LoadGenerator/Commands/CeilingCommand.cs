using System.Diagnostics;
using HorizonAI.LoadGenerator.Cli;
using HorizonAI.LoadGenerator.Load;
using HorizonAI.LoadGenerator.Results;
using HorizonAI.LoadGenerator.Scenario;
using HorizonAI.LoadGenerator.Webhooks;

namespace HorizonAI.LoadGenerator.Commands;

/// <summary>
/// <c>ceiling</c>: the same messages, signed the same way, sent by the same code to a bare Kestrel endpoint
/// (bench/Ceiling) that only parses the form and answers empty TwiML: the most this machine can do with this
/// generator. A short unmeasured warm-up comes first so neither side is timed while the JIT compiles.
/// </summary>
public static class CeilingCommand
{
    public static async Task<int> ExecuteAsync(Arguments args, CancellationToken cancellationToken)
    {
        var url = LoopbackUrl.Parse(args.Required("url"), "url");
        var label = args.String("label", "bare Kestrel");
        var load = CommonOptions.Read(args, defaultRate: 1_000, defaultDuration: 10);
        var output = args.Required("out");
        args.RejectUnknown();

        var messages = MessageFactory.ForPopulation(new Population(100, 10_000), MessageTag.NewRun(), "AC00000000000000000000000000000000");
        using var sender = new WebhookSender(url, "ceiling-auth-token", load.MaxConnections, load.Timeout);
        var warmup = new SendLog(200_000);
        await new LoadDriver(sender, messages.Create, warmup).RunClosedAsync(load.Concurrency, TimeSpan.FromSeconds(2), warmup.Capacity, cancellationToken);

        var log = new SendLog(load.PlannedMessages);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var startedAt = DateTimeOffset.UtcNow;
        await load.RunAsync(new LoadDriver(sender, messages.Create, log), cancellationToken);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;

        var figures = LoadAnalysis.Summarize(log, load.Mode, load.Rate, load.Concurrency);
        await ResultJson.WriteAsync(output, new CeilingResult(label, startedAt, load.DurationSeconds, figures, Math.Round(cpu.TotalSeconds, 2)));
        Console.WriteLine($"ceiling {label} ({load.Mode}): {figures.Ok} ok of {figures.Sent}, {figures.OkRate:F0}/s, p99 {figures.Ack?.P99:F2} ms; generator CPU {cpu.TotalSeconds:F1} s");
        return 0;
    }
}
