using HorizonAI.LoadGenerator.Cli;
using HorizonAI.LoadGenerator.Load;
using HorizonAI.LoadGenerator.Replies;
using HorizonAI.LoadGenerator.Scenario;
using HorizonAI.LoadGenerator.Webhooks;

namespace HorizonAI.LoadGenerator.Commands;

/// <summary>
/// <c>prepare</c>: creates the bots through the admin API, sets the stand-ins' latency and warms the system up with
/// messages from users outside the measured population, waiting for their replies; fails if the system cannot
/// answer them. The warm-up is timed rather than counted: .NET recompiles hot code with its optimising tier during
/// the first tens of seconds, and a freshly started Silo spends several times more CPU per message meanwhile.
/// </summary>
public static class PrepareCommand
{
    public static async Task<int> ExecuteAsync(Arguments args, CancellationToken cancellationToken)
    {
        var gateway = LoopbackUrl.Parse(args.Required("gateway"), "gateway");
        var sandboxUrl = LoopbackUrl.Parse(args.Required("sandbox"), "sandbox");
        var adminKey = args.Required("admin-key");
        var authToken = args.Required("auth-token");
        var accountSid = args.Required("account-sid");
        var bots = args.Int("bots", 200, 1, 100_000);
        var warmupSeconds = args.Double("warmup-seconds", 20, 0, 600);
        var warmupRate = args.Double("warmup-rate", 100, 1, 10_000);
        var warmupUsers = args.Int("warmup-users", Math.Max(100, 2 * bots), 1, 1_000_000);
        var warmup = (int)Math.Round(warmupSeconds * warmupRate);
        var openAILatency = args.Int("openai-latency-ms", 200, 0, 60_000);
        var twilioLatency = args.Int("twilio-latency-ms", 0, 0, 60_000);
        var timeout = TimeSpan.FromSeconds(args.Double("timeout", 180, 1, 3_600));
        args.RejectUnknown();

        var created = await new BotProvisioner(gateway, adminKey).EnsureBotsAsync(bots, cancellationToken);
        Console.WriteLine($"prepare: {created} bot(s) written through POST /bots/import");

        using var sandbox = new SandboxClient(sandboxUrl);
        await sandbox.ResetAsync(cancellationToken);
        await sandbox.SetLatencyAsync("openai", openAILatency, cancellationToken);
        await sandbox.SetLatencyAsync("twilio", twilioLatency, cancellationToken);
        if (warmup == 0)
        {
            return 0;
        }

        var messages = MessageFactory.ForWarmup(bots, warmupUsers, MessageTag.NewRun(), accountSid);
        using var sender = new WebhookSender(new Uri(gateway, "/webhook/whatsapp"), authToken, 64, TimeSpan.FromSeconds(30));
        var log = new SendLog(warmup);
        await new LoadDriver(sender, messages.Create, log).RunOpenAsync(warmupRate, warmup, 1_024, cancellationToken);
        var refused = Enumerable.Range(0, warmup).Count(i => log.Status[i] != 200);
        if (refused > 0)
        {
            var statuses = string.Join(", ", Enumerable.Range(0, warmup).GroupBy(i => log.Status[i]).Select(g => $"{g.Key}: {g.Count()}"));
            await Console.Error.WriteLineAsync($"prepare: {refused} of {warmup} warm-up webhooks were not answered 200 ({statuses})");
            return 1;
        }

        var (_, _, timedOut) = await new ReplyWaiter(sandbox, Console.Out).WaitAsync(log, messages.Run, messages.AddressOf, timeout, cancellationToken);
        if (timedOut)
        {
            await Console.Error.WriteLineAsync($"prepare: warm-up replies did not all arrive within {timeout.TotalSeconds:F0} s");
            return 1;
        }

        Console.WriteLine($"prepare: {warmup} warm-up message(s) from {Math.Min(warmup, warmupUsers)} user(s) answered");
        return 0;
    }
}
