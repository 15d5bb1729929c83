using System.Diagnostics;
using HorizonAI.LoadGenerator.Webhooks;

namespace HorizonAI.LoadGenerator.Load;

/// <summary>
/// Sends messages either open-loop (on a fixed schedule, whatever the server does) or closed-loop (N senders, each
/// sending its next message when the previous one is answered).
/// </summary>
public sealed class LoadDriver(WebhookSender sender, Func<long, InboundWebhook> messageFor, SendLog log)
{
    /// <summary>
    /// Message <c>n</c> is due at <c>start + n / rate</c>. Its latency is measured from that intended time, not from
    /// when it actually left: if the server (or this generator) falls behind, the waiting counts against the
    /// server, as it would for Twilio, instead of being hidden (no coordinated omission). At most
    /// <paramref name="maxInFlight"/> requests are outstanding; beyond that the schedule keeps running and the
    /// overdue messages leave as soon as a slot frees, each still timed from its intended time.
    /// </summary>
    public async Task RunOpenAsync(double rate, long messages, int maxInFlight, CancellationToken cancellationToken)
    {
        if (messages > log.Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(messages), "more messages than the log can hold");
        }

        var interval = Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 20;
        using var slots = new SemaphoreSlim(maxInFlight, maxInFlight);
        var sends = new Task[messages];
        long next = 0;
        while (next < messages)
        {
            var due = start + (long)(next * interval);
            var early = due - Stopwatch.GetTimestamp();
            if (early > 0)
            {
                // Timers tick in whole milliseconds: sleep at least one, then send everything that has become due.
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, early * 1000 / Stopwatch.Frequency)), cancellationToken);
                continue;
            }

            await slots.WaitAsync(cancellationToken);
            sends[next] = SendAsync(next, due, slots, cancellationToken);
            next++;
        }

        log.SetCount(messages);
        await Task.WhenAll(sends);
    }

    /// <summary>
    /// <paramref name="concurrency"/> senders, each waiting for an answer before sending again, until
    /// <paramref name="duration"/> has passed or <paramref name="maxMessages"/> were sent. Latency is measured from
    /// each request's actual start (a closed loop has no schedule to fall behind).
    /// </summary>
    public async Task RunClosedAsync(int concurrency, TimeSpan duration, long maxMessages, CancellationToken cancellationToken)
    {
        maxMessages = Math.Min(maxMessages, log.Capacity);
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long next = -1;

        async Task SenderAsync()
        {
            await Task.Yield();
            while (Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
            {
                var sequence = Interlocked.Increment(ref next);
                if (sequence >= maxMessages)
                {
                    return;
                }

                var started = Stopwatch.GetTimestamp();
                var status = await sender.PostAsync(messageFor(sequence), cancellationToken);
                log.Record(sequence, started, started, Stopwatch.GetTimestamp(), status);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => SenderAsync()));
        log.SetCount(Math.Min(Interlocked.Read(ref next) + 1, maxMessages));
    }

    private async Task SendAsync(long sequence, long intended, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        int status;
        try
        {
            status = await sender.PostAsync(messageFor(sequence), cancellationToken);
        }
        finally
        {
            slots.Release();
        }

        log.Record(sequence, intended, started, Stopwatch.GetTimestamp(), status);
    }
}
