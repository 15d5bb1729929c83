using System.Collections.Concurrent;
using HorizonAI.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace HorizonAI.Gateway.Access.Authentication;

/// <summary>
/// Shuts a client out of the admin surface for the rest of a minute once it has failed authentication too often,
/// so the key cannot be guessed by brute force. Refused attempts answer 429 whether or not the key is right.
/// </summary>
public sealed class AuthFailureThrottle(IOptions<AdminProtectionOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, (DateTimeOffset Start, int Failures)> _clients = new();

    public bool IsBlocked(HttpContext context, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!_clients.TryGetValue(ClientOf(context), out var entry))
        {
            return false;
        }

        var left = entry.Start + Window - time.GetUtcNow();
        if (left <= TimeSpan.Zero || entry.Failures < options.Value.AuthFailuresPerMinute)
        {
            return false;
        }

        retryAfter = left;
        return true;
    }

    public void RecordFailure(HttpContext context)
    {
        var now = time.GetUtcNow();
        _clients.AddOrUpdate(
            ClientOf(context),
            _ => (now, 1),
            (_, entry) => now - entry.Start > Window ? (now, 1) : (entry.Start, entry.Failures + 1));
        if (_clients.Count > 10_000)
        {
            foreach (var stale in _clients.Where(kv => now - kv.Value.Start > Window).Select(kv => kv.Key).ToList())
            {
                _clients.TryRemove(stale, out _);
            }
        }
    }

    public static string ClientOf(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString() : "local";
}
