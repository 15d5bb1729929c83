using System.Diagnostics.Metrics;

namespace HorizonAI.ServiceDefaults.Telemetry;

/// <summary>
/// The product's own metrics, tagged by bot number so an operator sees each client's traffic, cost and failures.
/// Exported in Prometheus format at <c>/metrics</c> (e.g. <c>horizonai_messages_received_total{bot="+1555…"}</c>).
/// </summary>
public sealed class HorizonMetrics : IDisposable
{
    public const string MeterName = "HorizonAI";

    private readonly Meter _meter;
    private readonly Counter<long> _received;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _tokens;
    private readonly Counter<long> _rejections;
    private readonly Histogram<double> _assistantLatency;
    private readonly UpDownCounter<long> _backlog;
    private readonly Counter<long> _storeFlushes;
    private readonly Histogram<int> _storeBatch;
    private readonly Histogram<double> _storeFlushDuration;
    private readonly Counter<long> _media;
    private readonly Counter<long> _handoffs;
    private readonly Counter<long> _resumes;
    private readonly Counter<long> _handoffNotices;
    private readonly Counter<long> _gatewayWebhooks;
    private readonly Counter<long> _gatewayForwards;
    private int _gatewaySilos = int.MinValue;
    private readonly Counter<long> _gatewayStatusCallbacks;
    private readonly Counter<long> _operatorMessages;
    private readonly Counter<long> _recoverySweeps;
    private readonly Counter<long> _recoveryWakes;
    private readonly Counter<long> _gatewayStoreRetries;
    private readonly UpDownCounter<long> _gatewayStoreAbandoned;
    private readonly Counter<long> _toolCalls;
    private readonly Histogram<double> _toolCallDuration;
    private readonly Counter<long> _knowledgeDocuments;
    private readonly Counter<long> _knowledgeStoresLost;

    public HorizonMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _toolCalls = _meter.CreateCounter<long>("horizonai.tool_calls", "{call}", "Calls of the businesses' tools, per bot, tool and outcome (ok, error, timeout)");
        _toolCallDuration = _meter.CreateHistogram<double>("horizonai.tool_call", "s", "Duration of one call of a business's tool, retries included, per bot",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30] });
        _knowledgeDocuments = _meter.CreateCounter<long>("horizonai.knowledge.documents", "{document}",
            "Knowledge documents done with upstream, per bot and outcome (indexed, failed, deleted)");
        _knowledgeStoresLost = _meter.CreateCounter<long>("horizonai.knowledge.store_lost", "{store}",
            "Bots' knowledge vector stores found deleted upstream (left out of turns until a reindex), per bot");
        _received = _meter.CreateCounter<long>("horizonai.messages.received", "{message}", "Inbound messages accepted, per bot");
        _sent = _meter.CreateCounter<long>("horizonai.messages.sent", "{message}", "Reply parts accepted by Twilio, per bot");
        _failed = _meter.CreateCounter<long>("horizonai.messages.failed", "{message}", "Inbound messages whose answer failed, per bot and reason");
        _duplicates = _meter.CreateCounter<long>("horizonai.messages.duplicate", "{message}", "Retried webhooks recognised and not answered again, per bot");
        _tokens = _meter.CreateCounter<long>("horizonai.tokens", "{token}", "Assistant tokens, per bot and kind (input, output, cached)");
        _rejections = _meter.CreateCounter<long>("horizonai.webhook.rejections", "{request}", "Webhook requests refused, per reason");
        _assistantLatency = _meter.CreateHistogram<double>("horizonai.assistant.latency", "s", "Duration of assistant turns, per bot",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120] });
        _backlog = _meter.CreateUpDownCounter<long>("horizonai.inbox.backlog", "{message}", "Messages waiting for a turn in the conversations active on this silo, as their last read of the table found them, per bot");
        _storeFlushes = _meter.CreateCounter<long>("horizonai.store.flushes", "{flush}", "Transactions of the message store's group commit, per outcome");
        _storeBatch = _meter.CreateHistogram<int>("horizonai.store.batch", "{write}", "Writes carried by one message-store transaction",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });
        _storeFlushDuration = _meter.CreateHistogram<double>("horizonai.store.flush.duration", "s", "Duration of one message-store transaction, commit included",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1] });
        _media = _meter.CreateCounter<long>("horizonai.media", "{item}", "Media items of inbound messages, per bot, kind (audio, image, document, other) and outcome (read, unreadable)");
        _handoffs = _meter.CreateCounter<long>("horizonai.handoffs", "{conversation}", "Conversations handed to a person, per bot and trigger (admin, keyword, assistant)");
        _resumes = _meter.CreateCounter<long>("horizonai.handoff.resumes", "{conversation}", "Conversations given back to the bot, per bot and trigger (admin, auto_resume)");
        _handoffNotices = _meter.CreateCounter<long>("horizonai.handoff.notices", "{notice}", "Handoff webhook notices, per bot and outcome (delivered, failed)");
        _gatewayWebhooks = _meter.CreateCounter<long>("horizonai.gateway.webhooks", "{request}",
            "Signed inbound webhooks the Gateway answered, per bot and outcome (accepted, duplicate, disabled, unknown_bot, unavailable, overloaded)");
        _gatewayForwards = _meter.CreateCounter<long>("horizonai.gateway.forwards", "{message}",
            "Stored messages handed to their bot's grain after the webhook's answer, per bot and outcome (forwarded, failed, dropped: left to the recovery sweep)");
        _gatewayStatusCallbacks = _meter.CreateCounter<long>("horizonai.gateway.status_callbacks", "{request}",
            "Signed Twilio status callbacks the Gateway took, per bot (the sender) and status");
        _operatorMessages = _meter.CreateCounter<long>("horizonai.operator.messages", "{message}", "Messages operators sent as the bot, per bot");
        _recoverySweeps = _meter.CreateCounter<long>("horizonai.recovery.sweeps", "{sweep}",
            "Recovery sweeps completed, per shard (a shard that stops counting has lost its reminder)");
        _recoveryWakes = _meter.CreateCounter<long>("horizonai.recovery.wakes", "{conversation}",
            "Conversations the recovery sweep woke because their work stayed open, per bot");
        _gatewayStoreRetries = _meter.CreateCounter<long>("horizonai.gateway.store.retries", "{attempt}",
            "Webhook store attempts that failed on a fault that can pass and were tried again within the webhook's budget, per bot");
        _gatewayStoreAbandoned = _meter.CreateUpDownCounter<long>("horizonai.gateway.store.abandoned", "{attempt}",
            "Webhook store attempts still running after their webhook's budget ended and it was answered 503 (one may yet store its message), per bot");
    }

    public void MessageReceived(string bot) => _received.Add(1, Bot(bot));

    /// <summary>A conversation's count of messages waiting for a turn changed by <paramref name="delta"/>.</summary>
    public void InboxWaiting(string bot, int delta) => _backlog.Add(delta, Bot(bot));

    public void MessagesFailed(string bot, int count, string reason) =>
        _failed.Add(count, Bot(bot), new KeyValuePair<string, object?>("reason", reason));

    public void ReplySent(string bot) => _sent.Add(1, Bot(bot));

    public void Duplicate(string bot) => _duplicates.Add(1, Bot(bot));

    public void AssistantTurn(string bot, TimeSpan duration, int inputTokens, int outputTokens, int cachedTokens)
    {
        _assistantLatency.Record(duration.TotalSeconds, Bot(bot));
        _tokens.Add(inputTokens, Bot(bot), new KeyValuePair<string, object?>("kind", "input"));
        _tokens.Add(outputTokens, Bot(bot), new KeyValuePair<string, object?>("kind", "output"));
        _tokens.Add(cachedTokens, Bot(bot), new KeyValuePair<string, object?>("kind", "cached"));
    }

    public void StoreFlush(int writes, TimeSpan duration, bool failed)
    {
        var outcome = new KeyValuePair<string, object?>("outcome", failed ? "failed" : "committed");
        _storeFlushes.Add(1, outcome);
        _storeBatch.Record(writes, outcome);
        _storeFlushDuration.Record(duration.TotalSeconds, outcome);
    }

    public void MediaRead(string bot, string kind, bool readable) =>
        _media.Add(1, Bot(bot), new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", readable ? "read" : "unreadable"));

    public void HandoffStarted(string bot, string trigger) => _handoffs.Add(1, Bot(bot), new KeyValuePair<string, object?>("trigger", trigger));

    public void HandoffEnded(string bot, string trigger) => _resumes.Add(1, Bot(bot), new KeyValuePair<string, object?>("trigger", trigger));

    public void HandoffNotice(string bot, string outcome) => _handoffNotices.Add(1, Bot(bot), new KeyValuePair<string, object?>("outcome", outcome));

    public void OperatorMessage(string bot) => _operatorMessages.Add(1, Bot(bot));

    /// <summary>A signed webhook for <paramref name="bot"/>, as the Gateway answered it.</summary>
    public void GatewayWebhook(string bot, string outcome) => _gatewayWebhooks.Add(1, Bot(bot), new KeyValuePair<string, object?>("outcome", outcome));

    public void GatewayForward(string bot, string outcome) => _gatewayForwards.Add(1, Bot(bot), new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>The active silos a Gateway saw at its last readiness check (-1: the cluster did not answer); only Gateways report it.</summary>
    public void GatewayClusterSilos(int silos)
    {
        if (Interlocked.Exchange(ref _gatewaySilos, silos) == int.MinValue)
        {
            _meter.CreateObservableGauge("horizonai.gateway.cluster.silos", () => Volatile.Read(ref _gatewaySilos), "{silo}",
                "Active silos this Gateway saw at its last readiness check (-1: the cluster did not answer); webhooks are accepted either way");
        }
    }

    public void GatewayStatusCallback(string bot, string status) => _gatewayStatusCallbacks.Add(1, Bot(bot), new KeyValuePair<string, object?>("status", status));

    /// <summary>One tick of the recovery sweep's <paramref name="shard"/> has looked and woken what it found.</summary>
    public void RecoverySweep(int shard) => _recoverySweeps.Add(1, new KeyValuePair<string, object?>("shard", shard));

    public void RecoveryWakes(string bot, int conversations) => _recoveryWakes.Add(conversations, Bot(bot));

    public void GatewayStoreRetry(string bot) => _gatewayStoreRetries.Add(1, Bot(bot));

    /// <summary>A webhook stopped waiting for a store attempt of <paramref name="bot"/> (<paramref name="running"/>), or that attempt ended.</summary>
    public void GatewayStoreAbandoned(string bot, bool running) => _gatewayStoreAbandoned.Add(running ? 1 : -1, Bot(bot));

    public void ToolCall(string bot, string tool, string outcome, TimeSpan duration)
    {
        _toolCalls.Add(1, Bot(bot), new KeyValuePair<string, object?>("tool", tool), new KeyValuePair<string, object?>("outcome", outcome));
        _toolCallDuration.Record(duration.TotalSeconds, Bot(bot));
    }

    /// <summary>A knowledge document of <paramref name="bot"/> indexed, failed or removed upstream.</summary>
    public void KnowledgeDocument(string bot, string outcome) => _knowledgeDocuments.Add(1, Bot(bot), new KeyValuePair<string, object?>("outcome", outcome));

    public void KnowledgeStoreLost(string bot) => _knowledgeStoresLost.Add(1, Bot(bot));

    public void WebhookRejected(string reason) => _rejections.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Bot(string bot) => new("bot", bot);
}
