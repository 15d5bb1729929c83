namespace HorizonAI.Integration.Tests.Infrastructure;

/// <summary>Waits for a condition instead of sleeping, and fails with what was last seen.</summary>
public static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last;
        while (true)
        {
            last = await probe();
            if (done(last))
            {
                return last;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0} s waiting for {what}; last value: {Describe(last)}");
            }

            await Task.Delay(100);
        }
    }

    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        WaitAsync(condition, ok => ok, timeout, what);

    private static string Describe<T>(T value) => value switch
    {
        System.Collections.IEnumerable items and not string => "[" + string.Join(", ", items.Cast<object?>().Take(20)) + "]",
        _ => value?.ToString() ?? "null",
    };
}
