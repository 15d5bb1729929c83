using HorizonAI.Grains.Assistants;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Storage;
using HorizonAI.Grains.Storage.Messages;
using HorizonAI.ServiceDefaults.Logging;
using HorizonAI.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Concurrency;

namespace HorizonAI.Grains.Retention;

/// <summary>
/// Retention: for each bot with a <c>retention_days</c>, erases the calls of tools of its settled turns and its settled
/// messages older than that, the messages in batches (<see cref="EraseExpired"/>: the usage and the conversation list
/// keep their figures), deletes upstream the OpenAI conversation of each conversation left without any message, and
/// writes one audit entry and one log line per bot that lost anything (messages or calls). Unsettled rows are never
/// touched. What retention cannot reach: Twilio's own message logs and media, what an operator copied elsewhere, and
/// what a conversation that still has messages told its model (its OpenAI conversation, or the history kept for Chat
/// Completions).
/// </summary>
[StatelessWorker(1)]
public sealed partial class RetentionGrain(
    IBotStore bots,
    [FromKeyedServices(MessageDataSource.Key)] NpgsqlDataSource dataSource,
    IAssistant assistant,
    TimeProvider time,
    ILogger<RetentionGrain> logger) : Grain, IRetentionGrain
{
    private const int Batch = 5000;

    /// <summary>The key id the audit log shows for erasures the platform made on its own.</summary>
    public const string AuditKey = "retention";

    public async Task<RetentionPass> EraseExpiredAsync()
    {
        var (botsErased, messages, emptied, toolCalls) = (0, 0, 0, 0);
        foreach (var bot in await bots.ListAsync())
        {
            if (bot.RetentionDays is not { } days || bot.Id is null)
            {
                continue;
            }

            var now = PostgresTime.Now(time);
            var cutoff = now - TimeSpan.FromDays(days);
            var (erased, calls, forgotten) = await EraseBotAsync(bot, cutoff, now);
            if (erased == 0 && calls == 0)
            {
                continue;
            }

            botsErased++;
            messages += erased;
            toolCalls += calls;
            emptied += forgotten;
            LogErased(bot.PhoneNumber, erased, calls, days, forgotten);
            await GrainFactory.GetGrain<IAuditLogGrain>(0).RecordAsync(new AuditEntry(now, AuditKey,
                $"retention: {erased} message(s) and {calls} tool call(s) older than {days} day(s) erased", bot.PhoneNumber, null, 200, null));
        }

        return new RetentionPass(botsErased, messages, emptied, toolCalls);
    }

    private async Task<(int Erased, int ToolCalls, int Forgotten)> EraseBotAsync(BotDefinition bot, DateTimeOffset cutoff, DateTimeOffset now)
    {
        var (erased, forgotten) = (0, 0);
        var calls = await EraseExpired.EraseToolCallsAsync(dataSource, bot.Id!, cutoff);
        while (true)
        {
            var batch = await EraseExpired.EraseBatchAsync(dataSource, bot.Id!, cutoff, now, Batch);
            erased += batch.Messages;
            foreach (var (user, conversationId) in batch.Emptied)
            {
                forgotten++;
                if (conversationId is null)
                {
                    continue;
                }

                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    await assistant.ForgetConversationAsync(conversationId, timeout.Token);
                }
                catch (Exception ex)
                {
                    // Its id is gone from our table already: the operator is told which one to delete by hand.
                    LogForgetFailed(bot.PhoneNumber, PhoneMask.Mask(user), conversationId, ex.GetType().Name);
                }
            }

            if (batch.Messages < Batch)
            {
                return (erased, calls, forgotten);
            }
        }
    }

    [LoggerMessage(EventId = 2120, Level = LogLevel.Information, Message = "Bot {BotNumber}: retention erased {Count} message(s) and {ToolCalls} tool call(s) older than {Days} day(s); {Emptied} conversation(s) left without messages")]
    private partial void LogErased(string botNumber, int count, int toolCalls, int days, int emptied);

    [LoggerMessage(EventId = 2121, Level = LogLevel.Warning, Message = "Bot {BotNumber}: retention could not delete the OpenAI conversation {ConversationId} of {User} ({Error}); delete it by hand")]
    private partial void LogForgetFailed(string botNumber, string user, string conversationId, string error);
}
