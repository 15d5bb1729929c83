using HorizonAI.Gateway.Hosting;
using HorizonAI.Grains.Interfaces;
using Microsoft.AspNetCore.Routing;

namespace HorizonAI.Gateway.Access;

/// <summary>
/// Writes one audit entry per admin write or transcript read, after it ran: the key id, the method and route, the bot
/// and user of the route, the answer's status and the client's address. The request has already done what it did, so
/// an entry that cannot be written is logged (with everything it would have held) and the answer stands.
/// </summary>
public sealed partial class AuditTrail(IClusterClient cluster, TimeProvider time, ILogger<AuditTrail> logger)
{
    public async Task RecordAsync(HttpContext context, AccessPrincipal principal, string? bot, string? user, object? result)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result; // Results<…> holds the answer the handler chose
        }

        var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? "";
        var entry = new AuditEntry(time.GetUtcNow(), principal.KeyId, $"{context.Request.Method} {route}", bot, user, status, AuthFailureThrottle.ClientOf(context));
        try
        {
            await cluster.GetGrain<IAuditLogGrain>(0).RecordAsync(entry);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNotAudited(ex, entry.KeyId, entry.Action, entry.BotNumber ?? "-", entry.Status);
        }
    }

    [LoggerMessage(EventId = 3120, Level = LogLevel.Error, Message = "Audit entry not written: key {KeyId} {Action} on bot {BotNumber} answered {Status}")]
    private partial void LogNotAudited(Exception exception, string keyId, string action, string botNumber, int status);
}
