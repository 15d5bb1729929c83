using System.Diagnostics;
using HorizonAI.LoadGenerator.Load;

namespace HorizonAI.LoadGenerator.Replies;

/// <summary>
/// Polls what the Twilio stand-in received until every acknowledged message has a reply or the drain timeout
/// passes. Polling starts only after the last send, so it never competes with the measured traffic.
/// </summary>
public sealed class ReplyWaiter(SandboxClient sandbox, TextWriter progress)
{
    public async Task<(List<SandboxReply> Replies, ReplyMatch Match, bool TimedOut)> WaitAsync(
        SendLog log, string run, Func<long, (string Bot, string User)> addressOf, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var pause = TimeSpan.FromSeconds(1);
        while (true)
        {
            var replies = await sandbox.TwilioMessagesAsync(cancellationToken);
            var match = ReplyMatch.Match(replies, run, log.Count, addressOf);
            var missing = Missing(log, match);
            if (missing == 0)
            {
                return (replies, match, false);
            }

            var left = (deadline - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency;
            if (left <= 0)
            {
                return (replies, match, true);
            }

            await progress.WriteLineAsync($"[drain] {missing} acknowledged message(s) not answered yet; {left:F0} s left");
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(pause.TotalSeconds, left)), cancellationToken);
            pause = TimeSpan.FromSeconds(Math.Min(5, pause.TotalSeconds + 1));
        }
    }

    public static long Missing(SendLog log, ReplyMatch match)
    {
        long missing = 0;
        for (long i = 0; i < log.Count; i++)
        {
            if (log.Status[i] == 200 && match.Replies[i] == 0)
            {
                missing++;
            }
        }

        return missing;
    }
}
