using HorizonAI.ServiceDefaults.Configuration;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace HorizonAI.Gateway.Webhooks;

/// <summary>How long a webhook may keep trying to store its message before it is answered 503.</summary>
public sealed class WebhookStoreOptions
{
    public const string Variable = "WEBHOOK_STORE_TIMEOUT_SECONDS";

    /// <summary>Twilio waits 15 s for an answer; the budget must end before that.</summary>
    public const int MaxSeconds = 14;

    public int TimeoutSeconds { get; set; } = 10;

    public static WebhookStoreOptions From(IConfiguration configuration) => new()
    {
        TimeoutSeconds = configuration.Integer(Variable, 10),
    };
}

public sealed class WebhookStoreOptionsValidator : IValidateOptions<WebhookStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookStoreOptions options) =>
        options.TimeoutSeconds is >= 1 and <= WebhookStoreOptions.MaxSeconds
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{WebhookStoreOptions.Variable} must be a whole number of seconds from 1 to {WebhookStoreOptions.MaxSeconds} (Twilio waits 15 s)");
}

/// <summary>
/// Hands a webhook to the cluster and retries, with jittered exponential backoff, what may pass a moment later: a silo
/// that was just killed and is not yet declared dead, a database restarting. All within
/// <c>WEBHOOK_STORE_TIMEOUT_SECONDS</c>, so that Twilio gets its answer before its own 15-second timeout; when the
/// budget runs out the caller answers 503. Only idempotent calls come here (a message is stored once per MessageSid,
/// a status never moves back), so a retry after an attempt that did store, but whose answer was lost, is taken as
/// a duplicate and acknowledged, never stored twice.
/// </summary>
public sealed partial class WebhookStore
{
    private static readonly ResiliencePropertyKey<string> BotKey = new("horizonai.bot");
    private static readonly ResiliencePropertyKey<string> SidKey = new("horizonai.message_sid");

    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger<WebhookStore> _logger;

    public WebhookStore(IOptions<WebhookStoreOptions> options, TimeProvider time, ILogger<WebhookStore> logger)
    {
        _logger = logger;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddTimeout(TimeSpan.FromSeconds(options.Value.TimeoutSeconds))
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } exception && IsWorthRetrying(exception)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(250),
                MaxDelay = TimeSpan.FromSeconds(2),
                MaxRetryAttempts = 20,
                OnRetry = args =>
                {
                    LogRetrying(_logger, args.Context.Properties.GetValue(BotKey, "unknown"), args.Context.Properties.GetValue(SidKey, "unknown"),
                        args.AttemptNumber + 1, args.Outcome.Exception!.GetType().Name + ": " + args.Outcome.Exception.Message, args.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>
    /// Runs <paramref name="call"/> until it succeeds, fails for good, the budget ends (<see cref="TimeoutRejectedException"/>)
    /// or the request is aborted.
    /// </summary>
    public async Task<T> CallAsync<T>(string bot, string messageSid, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(BotKey, bot);
        context.Properties.Set(SidKey, messageSid);
        try
        {
            // A grain call takes no token: stop waiting for it when the budget ends. An attempt abandoned this way
            // may still store the message; its reply then goes out as for any stored message.
            return await _pipeline.ExecuteAsync(static async (context, call) => await call().WaitAsync(context.CancellationToken), context, call);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Cancellation is the budget or the caller; a bad argument is a bug that no retry mends.</summary>
    private static bool IsWorthRetrying(Exception exception) => exception is not (OperationCanceledException or ArgumentException);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Bot {BotNumber}: webhook message {MessageSid} not stored yet ({Error}); attempt {Attempt} in {DelayMs:0} ms")]
    private static partial void LogRetrying(ILogger logger, string botNumber, string messageSid, int attempt, string error, double delayMs);
}
