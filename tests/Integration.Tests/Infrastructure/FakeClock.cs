using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace HorizonAI.Integration.Tests.Infrastructure;

/// <summary>
/// The application's clock in a test: a <see cref="FakeTimeProvider"/> that only moves when the test advances it, and
/// that tells when a timer has been set to fire at a given time. A grain timer is set again only after its tick
/// completes, relative to the clock at that moment, so a test advances the clock once the code under test has set
/// its next wake-up (an advance made earlier would be lost on it).
/// </summary>
public sealed class FakeClock : FakeTimeProvider
{
    /// <summary>A whole second, so that times survive PostgreSQL's microseconds unchanged.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<ITimer, DateTimeOffset> _wakeUps = new(ReferenceEqualityComparer.Instance);

    public FakeClock()
        : base(Epoch)
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new WatchedTimer(this, base.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>
    /// Makes this the application's clock of a silo or of the Gateway (an Orleans client too), with Orleans' own areas
    /// (membership, messaging, reminders, activation management, the directory) kept on real time: advancing the
    /// clock then fires only the application's timers and grain timers, and never stalls the runtime.
    /// </summary>
    public IServiceCollection Install(IServiceCollection services)
    {
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<TimeProvider>(this);
        services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
        return services;
    }

    /// <summary>Whether some timer is set to fire at <paramref name="at"/>.</summary>
    public bool HasWakeUpAt(DateTimeOffset at) => _wakeUps.Values.Contains(at);

    /// <summary>Waits until some timer is set to fire <paramref name="after"/> from now.</summary>
    public Task WaitForWakeUpAsync(TimeSpan after, string what)
    {
        var at = GetUtcNow() + after;
        return Eventually.TrueAsync(() => Task.FromResult(HasWakeUpAt(at)), Patience, $"{what} (a timer set for {at:HH:mm:ss.fff})");
    }

    /// <summary>
    /// Moves the clock; due timers fire on the advancing thread, so it runs off the test's thread and must return
    /// promptly (it would not if a maintenance loop of the runtime were on this clock).
    /// </summary>
    public Task AdvanceAsync(TimeSpan by) => Task.Run(() => Advance(by)).WaitAsync(Patience);

    /// <summary>A timer of the clock whose next wake-up the clock knows.</summary>
    private sealed class WatchedTimer(FakeClock clock, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                clock._wakeUps.TryRemove(this, out _);
            }
            else
            {
                clock._wakeUps[this] = clock.GetUtcNow() + dueTime;
            }

            return inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            clock._wakeUps.TryRemove(this, out _);
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            clock._wakeUps.TryRemove(this, out _);
            return inner.DisposeAsync();
        }
    }
}
