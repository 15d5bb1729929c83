using System.Collections.Concurrent;

namespace HorizonAI.Sandbox.TwilioApi;

/// <summary>
/// WhatsApp's rules as Twilio applies them, when switched on: free text only within 24 hours of the user's last
/// message to that sender (else 63016; templates, sent with a ContentSid, go at any time), and a per-sender rate
/// (more than <see cref="SenderRatePerSecond"/> sends in one second answer 429 with 63018). The sandbox learns of
/// users' messages from <see cref="UserWrote"/> (the test, or <c>POST /_sandbox/twilio/inbound</c>), as Twilio would
/// from the messages it delivers.
/// </summary>
public sealed class WhatsAppRules(TimeProvider time)
{
    public const int RateLimited = 63018;

    private readonly ConcurrentDictionary<(string From, string To), DateTimeOffset> _lastInbound = new();
    private readonly ConcurrentDictionary<string, (long Second, int Count)> _sends = new(StringComparer.Ordinal);

    /// <summary>Whether free text outside the window is refused with 63016. Off: every send is inside it.</summary>
    public bool EnforceWindow { get; set; }

    /// <summary>Sends per second one sender may make; null: no limit.</summary>
    public int? SenderRatePerSecond { get; set; }

    /// <summary>Sends refused with 63018, per sender.</summary>
    public ConcurrentDictionary<string, int> RateLimitedSends { get; } = new(StringComparer.Ordinal);

    /// <summary>The most sends one sender attempted within one second, refused ones included.</summary>
    public ConcurrentDictionary<string, int> PeakSendsPerSecond { get; } = new(StringComparer.Ordinal);

    /// <summary>The user (<paramref name="user"/>, e.g. <c>whatsapp:+569…</c>) wrote to the bot's number at <paramref name="at"/>.</summary>
    public void UserWrote(string bot, string user, DateTimeOffset at) =>
        _lastInbound.AddOrUpdate((bot, user), at, (_, known) => at > known ? at : known);

    public bool InsideWindow(string from, string to) =>
        !EnforceWindow || (_lastInbound.TryGetValue((from, to), out var last) && time.GetUtcNow() - last < TimeSpan.FromHours(24));

    /// <summary>Counts a send of <paramref name="from"/>; false when it is over the sender's rate this second.</summary>
    public bool TryTakeSend(string from)
    {
        var second = time.GetUtcNow().ToUnixTimeSeconds();
        var (_, count) = _sends.AddOrUpdate(from, _ => (second, 1), (_, entry) => entry.Second == second ? (second, entry.Count + 1) : (second, 1));
        PeakSendsPerSecond.AddOrUpdate(from, count, (_, peak) => Math.Max(peak, count));
        if (SenderRatePerSecond is { } limit && count > limit)
        {
            RateLimitedSends.AddOrUpdate(from, 1, (_, n) => n + 1);
            return false;
        }

        return true;
    }

    public void Reset()
    {
        _lastInbound.Clear();
        _sends.Clear();
        RateLimitedSends.Clear();
        PeakSendsPerSecond.Clear();
        EnforceWindow = false;
        SenderRatePerSecond = null;
    }
}
