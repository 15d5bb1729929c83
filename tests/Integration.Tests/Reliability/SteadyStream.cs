using System.Collections.Concurrent;
using System.Net;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Reliability;

/// <summary>A paced stream of signed webhooks; every message carries a unique token so its reply can be found.</summary>
public sealed class SteadyStream(WebhookClient webhooks, string[] bots, string[] users, string seed)
{
    private readonly ConcurrentQueue<StreamMessage> _sent = new();

    public IReadOnlyCollection<StreamMessage> Sent => _sent;

    /// <summary>Each user always writes to the same bot, so per-user order is well defined.</summary>
    public string BotOf(string user) => bots[Array.IndexOf(users, user) % bots.Length];

    public async Task RunAsync(int perSecond, CancellationToken stop)
    {
        var random = new Random(seed.GetHashCode(StringComparison.Ordinal));
        var interval = TimeSpan.FromSeconds(1.0 / perSecond);
        var next = DateTime.UtcNow;
        var sequence = 0;
        var inFlight = new List<Task>();
        while (!stop.IsCancellationRequested)
        {
            // A few users write in bursts, so that ordering and batching are exercised.
            var user = users[random.Next(10) < 3 ? random.Next(20) : random.Next(users.Length)];
            var token = $"<{seed}-{sequence++:D6}>";
            inFlight.Add(SendAsync(user, token, sequence));
            inFlight.RemoveAll(t => t.IsCompleted);
            next += interval;
            var wait = next - DateTime.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await Task.WhenAll(inFlight);
    }

    private async Task SendAsync(string user, string token, int sequence)
    {
        var bot = BotOf(user);
        var sentAt = DateTime.UtcNow;
        HttpStatusCode status;
        try
        {
            status = (await webhooks.SendAsync(bot, user, token)).StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            status = 0;
        }

        _sent.Enqueue(new StreamMessage(sequence, bot, user, token, status, sentAt, DateTime.UtcNow));
    }
}

/// <param name="SentAt">When the webhook request started.</param>
/// <param name="AcknowledgedAt">When its answer came back: by then the message was stored (when it was a 200).</param>
public sealed record StreamMessage(int Sequence, string Bot, string User, string Token, HttpStatusCode Status, DateTime SentAt, DateTime AcknowledgedAt)
{
    public bool Accepted => Status == HttpStatusCode.OK;
}
