using HorizonAI.LoadGenerator.Cli;
using HorizonAI.LoadGenerator.Commands;

namespace HorizonAI.LoadGenerator;

/// <summary>The benchmark's load generator: talks to the product over HTTP only, like Twilio and an operator would.</summary>
internal static class Program
{
    private const string Usage = """
        usage: HorizonAI.LoadGenerator <command> [--option value]...

          prepare      create the bots (POST /bots/import), set the stand-ins' latency, warm up
                       --gateway URL --sandbox URL --admin-key K --auth-token T --account-sid SID
                       [--bots 200] [--warmup-seconds 20] [--warmup-rate 100] [--warmup-users 2xbots]
                       [--openai-latency-ms 200] [--twilio-latency-ms 0]
          run          the measured pipeline scenario; writes a JSON result
                       --gateway URL --sandbox URL --auth-token T --account-sid SID --out FILE
                       [--mode open|closed] [--rate 1000] [--duration 60] [--concurrency 64] [--bots 200] [--users 50000]
                       [--openai-latency-ms 200] [--twilio-latency-ms 0] [--drain-timeout 120] [--max-connections 1024]
                       [--timeout 15]
                       [--pids silo=PID,gateway=PID,postgres=PID+,...] [--clock-ticks 100] [--timeline-slice S]
          ceiling      the same webhooks against the bare endpoint of bench/Ceiling
                       --url URL --out FILE [--mode closed|open] [--rate R] [--duration 10] [--concurrency 64] [--label L]
          wrk-script   a wrk Lua script posting one such webhook: --url URL --out FILE
          report       the markdown report from bench/run.sh's work folder: --dir DIR --out FILE

        Every URL must point at this machine (127.0.0.1).
        """;

    public static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            var options = Arguments.Parse(args[1..]);
            return args[0] switch
            {
                "prepare" => await PrepareCommand.ExecuteAsync(options, cancel.Token),
                "run" => await RunCommand.ExecuteAsync(options, cancel.Token),
                "ceiling" => await CeilingCommand.ExecuteAsync(options, cancel.Token),
                "wrk-script" => await WrkScriptCommand.ExecuteAsync(options, cancel.Token),
                "report" => await ReportCommand.ExecuteAsync(options, cancel.Token),
                _ => throw new UsageException($"unknown command '{args[0]}'"),
            };
        }
        catch (UsageException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}\n\n{Usage}");
            return 2;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("cancelled");
            return 130;
        }
    }
}
