using System.Diagnostics;
using System.Text.Json;
using HorizonAI.LoadGenerator.Cli;
using HorizonAI.LoadGenerator.Load;
using HorizonAI.LoadGenerator.Metrics;
using HorizonAI.LoadGenerator.Replies;
using HorizonAI.LoadGenerator.Results;
using HorizonAI.LoadGenerator.Scenario;
using HorizonAI.LoadGenerator.Webhooks;

namespace HorizonAI.LoadGenerator.Commands;

/// <summary>
/// <c>run</c>: the measured pipeline scenario. Sends the population's messages to the Gateway, then waits for the
/// replies to reach the Twilio stand-in, reading the watched processes' CPU and memory throughout; writes a
/// <see cref="PipelineResult"/>.
/// </summary>
public static class RunCommand
{
    public static async Task<int> ExecuteAsync(Arguments args, CancellationToken cancellationToken)
    {
        var gateway = LoopbackUrl.Parse(args.Required("gateway"), "gateway");
        var sandboxUrl = LoopbackUrl.Parse(args.Required("sandbox"), "sandbox");
        var authToken = args.Required("auth-token");
        var accountSid = args.Required("account-sid");
        var load = CommonOptions.Read(args, defaultRate: 1_000, defaultDuration: 60);
        var bots = args.Int("bots", 200, 1, 100_000);
        var users = args.Int("users", 50_000, 1, 10_000_000);
        var openAILatency = args.Int("openai-latency-ms", 200, 0, 60_000);
        var twilioLatency = args.Int("twilio-latency-ms", 0, 0, 60_000);
        var drainTimeout = args.Double("drain-timeout", 120, 1, 3_600);
        var processes = WatchedProcess.ParseList(args.Optional("pids"));
        var clockTicks = args.Double("clock-ticks", 100, 1, 1_000_000);
        var slice = args.Double("timeline-slice", Math.Max(1, Math.Ceiling(load.DurationSeconds / 15)), 0.1, 3_600);
        var output = args.Required("out");
        args.RejectUnknown();
        if (users < bots)
        {
            throw new UsageException("--users must be at least --bots (every bot gets users)");
        }

        var population = new Population(bots, users);
        var messages = MessageFactory.ForPopulation(population, MessageTag.NewRun(), accountSid);
        var scenario = new ScenarioSettings(messages.Run, load.Mode, load.Rate, load.Concurrency, load.DurationSeconds, bots, users,
            openAILatency, twilioLatency, drainTimeout, load.MaxConnections, load.Timeout.TotalSeconds);

        using var sandbox = new SandboxClient(sandboxUrl);
        await sandbox.ResetAsync(cancellationToken);
        await sandbox.SetLatencyAsync("openai", openAILatency, cancellationToken);
        await sandbox.SetLatencyAsync("twilio", twilioLatency, cancellationToken);

        using var sender = new WebhookSender(new Uri(gateway, "/webhook/whatsapp"), authToken, load.MaxConnections, load.Timeout);
        var log = new SendLog(load.PlannedMessages);
        processes.Add(new WatchedProcess("load generator", Environment.ProcessId, false));
        await using var watch = new ProcessWatch(processes, TimeSpan.FromSeconds(1));
        var clock = new WallClock();
        var startedAt = DateTimeOffset.UtcNow;
        Console.WriteLine($"run {messages.Run}: {Describe(load)} over {bots} bots x {users} users; stand-in latency OpenAI {openAILatency} ms, Twilio {twilioLatency} ms");

        var start = watch.Sample();
        await using (new ProgressPrinter(log, Console.Out, TimeSpan.FromSeconds(5)))
        {
            await load.RunAsync(new LoadDriver(sender, messages.Create, log), cancellationToken);
        }

        var figures = LoadAnalysis.Summarize(log, load.Mode, load.Rate, load.Concurrency);
        Console.WriteLine($"sent {figures.Sent}, acknowledged 200: {figures.Ok}; waiting up to {drainTimeout:F0} s for the replies");
        var (replies, match, timedOut) = await new ReplyWaiter(sandbox, Console.Out)
            .WaitAsync(log, messages.Run, messages.AddressOf, TimeSpan.FromSeconds(drainTimeout), cancellationToken);
        var end = watch.Sample();
        var counters = await sandbox.CountersAsync(cancellationToken);

        var origin = FirstIntended(log) ?? start.Timestamp;
        var replyFigures = ReplyAnalysis(log, match, replies.Count, timedOut, drainTimeout, clock, origin, population, scenario, out var replyTimestamps);
        var lastAnswer = log.Count > 0 ? log.Answered.Take((int)log.Count).Max() : origin;
        var timelineEnd = Math.Max(lastAnswer, replyTimestamps.Count > 0 ? replyTimestamps.Max() : lastAnswer);
        var result = new PipelineResult(
            startedAt,
            scenario,
            figures,
            replyFigures,
            Math.Round((end.Timestamp - start.Timestamp) / (double)Stopwatch.Frequency, 2),
            ProcessCost.Machine(start, end, clockTicks),
            ProcessCost.Between(watch, start, end, clockTicks, figures.Ok),
            TimelineBuilder.Build(log, origin, timelineEnd, slice, replyTimestamps, watch, clockTicks),
            Counters(counters));
        await ResultJson.WriteAsync(output, result);

        Console.WriteLine($"acks: {figures.OkRate:F0}/s, p99 {figures.Ack?.P99:F1} ms; replies: {replyFigures.Answered} answered, {replyFigures.Lost} lost, {replyFigures.Duplicated} duplicated, {replyFigures.ReplyRate:F0}/s end to end; overhead p99 {replyFigures.Overhead?.P99:F1} ms");
        Console.WriteLine($"wrote {output}");
        return 0;
    }

    private static long? FirstIntended(SendLog log)
    {
        long? first = null;
        for (long i = 0; i < log.Count; i++)
        {
            if (log.Answered[i] != 0 && (first is null || log.Intended[i] < first))
            {
                first = log.Intended[i];
            }
        }

        return first;
    }

    private static string Describe(CommonOptions load) =>
        load.Mode == LoadModes.Open
            ? $"open loop at {load.Rate:F0} msg/s for {load.DurationSeconds:F0} s ({load.PlannedMessages} messages)"
            : $"closed loop with {load.Concurrency} senders for {load.DurationSeconds:F0} s";

    private static ReplyFigures ReplyAnalysis(
        SendLog log, ReplyMatch match, long repliesSeen, bool timedOut, double drainTimeout, WallClock clock, long firstSend, Population population,
        ScenarioSettings scenario, out List<long> replyTimestamps)
    {
        var endToEnd = LatencySummary.NewHistogram();
        var overhead = LatencySummary.NewHistogram();
        replyTimestamps = [];
        long answered = 0, lost = 0, unacknowledged = 0, duplicated = 0, firstReply = long.MaxValue, lastReply = long.MinValue, lastAck = long.MinValue;
        var conversations = new HashSet<int>();
        for (long i = 0; i < log.Count; i++)
        {
            if (log.Status[i] == 200)
            {
                conversations.Add(population.UserOf(i));
                lastAck = Math.Max(lastAck, log.Answered[i]);
            }

            if (match.Replies[i] == 0)
            {
                lost += log.Status[i] == 200 ? 1 : 0;
                continue;
            }

            answered++;
            unacknowledged += log.Status[i] == 200 ? 0 : 1;
            duplicated += match.Replies[i] > 1 ? 1 : 0;
            var replyAt = match.FirstReplyUtcTicks[i];
            firstReply = Math.Min(firstReply, replyAt);
            lastReply = Math.Max(lastReply, replyAt);
            replyTimestamps.Add(clock.ToTimestamp(new DateTimeOffset(replyAt, TimeSpan.Zero)));

            var micros = (replyAt - clock.ToUtc(log.Intended[i]).UtcTicks) / 10.0;
            LatencySummary.Record(endToEnd, micros);
            LatencySummary.Record(overhead, micros - (StandInLatency.Milliseconds(scenario, match.ConversationOpener[i]) * 1000.0));
        }

        var origin = clock.ToUtc(firstSend).UtcTicks;
        double Since(long utcTicks) => answered == 0 ? 0 : Math.Round((utcTicks - origin) / (double)TimeSpan.TicksPerSecond, 3);
        var span = (lastReply - firstReply) / (double)TimeSpan.TicksPerSecond;
        var drain = timedOut
            ? drainTimeout
            : answered == 0 || lastAck == long.MinValue ? 0 : Math.Max(0, (lastReply - clock.ToUtc(lastAck).UtcTicks) / (double)TimeSpan.TicksPerSecond);
        return new ReplyFigures(
            repliesSeen,
            answered,
            lost,
            unacknowledged,
            duplicated,
            match.Misrouted,
            match.Untagged,
            conversations.Count,
            Since(firstReply),
            Since(lastReply),
            span > 0 ? Math.Round(answered / span, 1) : 0,
            Math.Round(drain, 3),
            timedOut,
            LatencySummary.From(endToEnd),
            LatencySummary.From(overhead));
    }

    private static Dictionary<string, JsonElement> Counters(JsonElement counters)
    {
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (counters.ValueKind != JsonValueKind.Object)
        {
            return result;
        }

        foreach (var property in counters.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Array)
            {
                // The conversation id list is as long as the run: keep its length only.
                result[property.Name + "Count"] = JsonSerializer.SerializeToElement(property.Value.GetArrayLength());
            }
            else
            {
                result[property.Name] = property.Value.Clone();
            }
        }

        return result;
    }
}
