using Microsoft.Extensions.Logging;

namespace HorizonAI.Grains.Conversations;

/// <summary>
/// Retries a conversation's write through a short database outage (a restart, a failover) instead of giving up: once
/// OpenAI has answered or Twilio has a part, failing the write would mean asking or sending again. Every write of the
/// message store is safe to repeat.
/// </summary>
public sealed partial class DurableWrite(TimeProvider time, ILogger<DurableWrite> logger)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromSeconds(5);

    public async Task<T> RetryAsync<T>(ConversationAddress conversation, Func<Task<T>> write, CancellationToken cancellationToken)
    {
        var delay = FirstDelay;
        var deadline = time.GetUtcNow() + Deadline;
        while (true)
        {
            try
            {
                return await write();
            }
            catch (Exception ex) when (ex is not OperationCanceledException && time.GetUtcNow() < deadline && !cancellationToken.IsCancellationRequested)
            {
                LogWriteRetry(conversation.BotNumber, conversation.User, ex.GetType().Name, delay.TotalMilliseconds);
                await Task.Delay(delay, time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestDelay.Ticks));
            }
        }
    }

    public Task RetryAsync(ConversationAddress conversation, Func<Task> write, CancellationToken cancellationToken) =>
        RetryAsync(conversation, async () =>
        {
            await write();
            return true;
        }, cancellationToken);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "Bot {BotNumber}: storing progress of the conversation with {User} failed ({Error}); retrying in {DelayMs} ms")]
    private partial void LogWriteRetry(string botNumber, string user, string error, double delayMs);
}
