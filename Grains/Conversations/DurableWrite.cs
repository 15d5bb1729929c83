namespace HorizonAI.Grains.Conversations;

/// <summary>
/// Retries a write through a short database outage (a restart, a failover) instead of giving up: once OpenAI has
/// answered or Twilio has a part, failing the write would mean asking or sending again. Every write of the message
/// store is safe to repeat.
/// </summary>
public static class DurableWrite
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromSeconds(5);

    public static async Task<T> RetryAsync<T>(Func<Task<T>> write, TimeProvider time, Action<Exception, TimeSpan> onRetry, CancellationToken cancellationToken)
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
                onRetry(ex, delay);
                await Task.Delay(delay, time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestDelay.Ticks));
            }
        }
    }
}
