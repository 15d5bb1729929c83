using System.Diagnostics;
using System.Threading.Channels;
using HorizonAI.Grains.Interfaces;
using HorizonAI.ServiceDefaults.Logging;
using HorizonAI.ServiceDefaults.Telemetry;

namespace HorizonAI.Gateway.Webhooks;

/// <summary>
/// Hands each stored message to its bot's grain after the webhook was answered. It is only a nudge: the message is in
/// the table already, and a conversation reads its inbox from there. So a forward is bounded (at most
/// <see cref="MaxInFlight"/> at once, each given up after <see cref="Timeout"/>, at most <see cref="MaxQueued"/>
/// waiting) and one that fails or is dropped is left to the table: the recovery sweep, or the conversation's next
/// activation, finds the row and answers it once, in order.
/// </summary>
public sealed partial class InboundForwarder(IClusterClient cluster, HorizonMetrics metrics, ILogger<InboundForwarder> logger) : BackgroundService
{
    public const int MaxInFlight = 64;
    public const int MaxQueued = 10_000;
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly Channel<InboundMessage> _queue = Channel.CreateBounded<InboundMessage>(
        new BoundedChannelOptions(MaxQueued) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Queues the forward without waiting for it; a full queue drops it (the sweep answers the message).</summary>
    public void Forward(InboundMessage message)
    {
        if (!_queue.Writer.TryWrite(message))
        {
            metrics.GatewayForward(message.BotNumber, "dropped");
            LogDropped(logger, message.BotNumber, message.MessageSid);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, MaxInFlight).Select(_ => ForwardLoopAsync(stoppingToken)));

    private async Task ForwardLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var message in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await ForwardAsync(message, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still queued is in the table, for the sweep.
        }
    }

    private async Task ForwardAsync(InboundMessage message, CancellationToken stoppingToken)
    {
        // Background work of the webhook's trace: its child, though it may outlive the request.
        using var span = HorizonTracing.StartFrom("horizonai.forward", message.TraceParent);
        span?.SetTag(HorizonTracing.BotTag, message.BotNumber);
        span?.SetTag(HorizonTracing.UserTag, PhoneMask.Mask(message.UserNumber));
        span?.SetTag(HorizonTracing.MessageSidTag, message.MessageSid);
        try
        {
            var outcome = await cluster.GetGrain<IBotGrain>(message.BotNumber).ReceiveAsync(message).WaitAsync(Timeout, stoppingToken);
            span?.SetTag(HorizonTracing.OutcomeTag, outcome.ToString());
            metrics.GatewayForward(message.BotNumber, "forwarded");
            LogForwarded(logger, message.BotNumber, message.MessageSid, PhoneMask.Mask(message.UserNumber), outcome);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            span?.SetTag(HorizonTracing.OutcomeTag, "failed");
            span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            metrics.GatewayForward(message.BotNumber, "failed");
            LogForwardFailed(logger, message.BotNumber, message.MessageSid, ex.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 3030, Level = LogLevel.Debug, Message = "Bot {BotNumber}: message {MessageSid} from {User} forwarded: {Outcome}")]
    private static partial void LogForwarded(ILogger logger, string botNumber, string messageSid, string user, ReceiveOutcome outcome);

    [LoggerMessage(EventId = 3031, Level = LogLevel.Warning, Message = "Bot {BotNumber}: forwarding stored message {MessageSid} failed ({Error}); the recovery sweep answers it")]
    private static partial void LogForwardFailed(ILogger logger, string botNumber, string messageSid, string error);

    [LoggerMessage(EventId = 3032, Level = LogLevel.Warning, Message = "Bot {BotNumber}: forward queue full; stored message {MessageSid} is left to the recovery sweep")]
    private static partial void LogDropped(ILogger logger, string botNumber, string messageSid);
}
