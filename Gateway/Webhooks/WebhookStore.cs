using System.Data.Common;
using System.Net.Sockets;
using HorizonAI.ServiceDefaults.Configuration;
using HorizonAI.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace HorizonAI.Gateway.Webhooks;

/// <summary>How long a webhook may keep trying to store its message before it is answered 503.</summary>
public sealed class WebhookStoreOptions
{
    public const string Variable = "WEBHOOK_STORE_TIMEOUT_SECONDS";

    /// <summary>Twilio waits 15 s for an answer; the budget must end before that.</summary>
    public const int MaxSeconds = 14;

    [SettingRange(1, MaxSeconds, ErrorMessage = Variable + " must be a whole number of seconds from 1 to 14 (Twilio waits 15 s)")]
    public int TimeoutSeconds { get; set; } = 10;

    public static WebhookStoreOptions From(IConfiguration configuration) => new()
    {
        TimeoutSeconds = configuration.Integer(Variable, 10),
    };
}

[OptionsValidator]
public sealed partial class WebhookStoreOptionsValidator : IValidateOptions<WebhookStoreOptions>;

/// <summary>
/// Stores a webhook's message or status in PostgreSQL and retries, with jittered exponential backoff, what may pass a
/// moment later: a database restarting, a connection cut. All within one budget per request
/// (<c>WEBHOOK_STORE_TIMEOUT_SECONDS</c>, counted from the request's arrival, so the wait for an admission permit
/// spends it too), so that Twilio gets an answer before its own 15-second timeout; when the budget ends the caller
/// answers 503. Only idempotent calls come here (a message is stored once per MessageSid, a status never moves back),
/// so a retry after an attempt that did store, but whose answer was lost, is taken as a duplicate and acknowledged,
/// never stored twice. Only faults that can pass are retried; any other answers 503 at once.
/// </summary>
public sealed partial class WebhookStore(IOptions<WebhookStoreOptions> options, HorizonMetrics metrics, ILogger<WebhookStore> logger)
{
    private static readonly ResiliencePropertyKey<string> BotKey = new("horizonai.bot");
    private static readonly ResiliencePropertyKey<string> SidKey = new("horizonai.message_sid");

    private readonly ResiliencePipeline _pipeline = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } exception && IsTransient(exception)),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(250),
            MaxDelay = TimeSpan.FromSeconds(2),

            // The budget ends the retries first; this bounds them should it ever be raised.
            MaxRetryAttempts = 30,
            OnRetry = args =>
            {
                var bot = args.Context.Properties.GetValue(BotKey, "unknown");
                LogRetrying(logger, bot, args.Context.Properties.GetValue(SidKey, "unknown"),
                    args.AttemptNumber + 1, args.Outcome.Exception!.GetType().Name + ": " + args.Outcome.Exception.Message, args.RetryDelay.TotalMilliseconds);
                metrics.GatewayStoreRetry(bot);
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    /// <summary>The request's budget: cancelled when it ends or when the caller goes away. Start it on arrival.</summary>
    public CancellationTokenSource StartBudget(CancellationToken requestAborted)
    {
        var budget = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        budget.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
        return budget;
    }

    /// <summary>
    /// Runs <paramref name="call"/> until it succeeds, fails for good, or <paramref name="budget"/> is cancelled
    /// (<see cref="OperationCanceledException"/>).
    /// </summary>
    public async Task<T> CallAsync<T>(string bot, string messageSid, Func<Task<T>> call, CancellationToken budget)
    {
        var context = ResilienceContextPool.Shared.Get(budget);
        context.Properties.Set(BotKey, bot);
        context.Properties.Set(SidKey, messageSid);
        try
        {
            return await _pipeline.ExecuteAsync(static async (context, state) => await state.Store.AttemptAsync(state.Bot, state.Call, context.CancellationToken),
                context, (Store: this, Bot: bot, Call: call));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// A write takes no token: stop waiting for it when the budget ends. An attempt abandoned this way may still store
    /// the message; it is then answered as any stored message, and Twilio's redelivery of it is a duplicate. It is
    /// counted until it ends, so that one can tell when nothing of a refused webhook is still on its way.
    /// </summary>
    private async Task<T> AttemptAsync<T>(string bot, Func<Task<T>> call, CancellationToken budget)
    {
        var attempt = call();
        try
        {
            return await attempt.WaitAsync(budget);
        }
        catch (OperationCanceledException) when (!attempt.IsCompleted)
        {
            metrics.GatewayStoreAbandoned(bot, running: true);
            _ = attempt.ContinueWith(ended =>
            {
                _ = ended.Exception; // nobody waits for it any more
                metrics.GatewayStoreAbandoned(bot, running: false);
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
    }

    /// <summary>
    /// Faults that can pass: the database's (down, restarting, shutting down, a deadlock, a timeout, a cut connection). A bug (a null reference, a serialization fault) or a message the
    /// database refuses for good (bad data, a failed check) fails every attempt alike and is not retried.
    /// </summary>
    private static bool IsTransient(Exception exception) => exception switch
    {
        // PostgreSQL refusing the message itself: bad data (22), a failed constraint (23), a rule of ours (P0).
        DbException { SqlState: ['2', '2' or '3', ..] or ['P', '0', ..] } => false,
        _ => exception is TimeoutException or DbException or IOException or SocketException,
    };

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Bot {BotNumber}: webhook for {MessageSid} not taken yet: attempt {Attempt} failed ({Error}); next in {DelayMs:0} ms")]
    private static partial void LogRetrying(ILogger logger, string botNumber, string messageSid, int attempt, string error, double delayMs);
}
