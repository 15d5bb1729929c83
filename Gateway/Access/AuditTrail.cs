using HorizonAI.Gateway.Access.Authentication;
using HorizonAI.Gateway.Hosting;
using HorizonAI.Grains.Interfaces;
using Microsoft.AspNetCore.Routing;

namespace HorizonAI.Gateway.Access;

/// <summary>
/// Writes one audit entry per admin write or transcript read, after it ran: the key id, the method and route, the bot
/// and user of the route, the answer's status and the client's address. The request has already done what it did, so
/// an entry that cannot be written is logged (with everything it would have held) and the answer stands. A read
/// repeated with the same outcome (the console refreshing an open transcript) is written once per five minutes.
/// </summary>
public sealed partial class AuditTrail(IClusterClient cluster, TimeProvider time, ILogger<AuditTrail> logger)
{
    private static readonly TimeSpan RepeatedReadWindow = TimeSpan.FromMinutes(5);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Key, string Action, string? Bot, string? User, int Status), DateTimeOffset> _reads = new();

    public async Task RecordAsync(HttpContext context, AccessPrincipal principal, string? bot, string? user, object? result)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result; // Results<…> holds the answer the handler chose
        }

        var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : context.Response.StatusCode;
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? "";
        var now = time.GetUtcNow();
        var entry = new AuditEntry(now, principal.KeyId, $"{context.Request.Method} {route}", bot, user, status, AuthFailureThrottle.ClientOf(context));
        if (HttpMethods.IsGet(context.Request.Method) && IsRepeatedRead((entry.KeyId, entry.Action, bot, user, status), now))
        {
            return;
        }

        try
        {
            await cluster.GetGrain<IAuditLogGrain>(0).RecordAsync(entry);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNotAudited(ex, entry.KeyId, entry.Action, entry.BotNumber ?? "-", entry.Status);
        }
    }

    private bool IsRepeatedRead((string, string, string?, string?, int) read, DateTimeOffset now)
    {
        if (_reads.TryGetValue(read, out var last) && now - last < RepeatedReadWindow)
        {
            return true;
        }

        _reads[read] = now;
        if (_reads.Count > 10_000)
        {
            foreach (var stale in _reads.Where(r => now - r.Value >= RepeatedReadWindow).Select(r => r.Key).ToList())
            {
                _reads.TryRemove(stale, out _);
            }
        }

        return false;
    }

    [LoggerMessage(EventId = 3120, Level = LogLevel.Error, Message = "Audit entry not written: key {KeyId} {Action} on bot {BotNumber} answered {Status}")]
    private partial void LogNotAudited(Exception exception, string keyId, string action, string botNumber, int status);
}
