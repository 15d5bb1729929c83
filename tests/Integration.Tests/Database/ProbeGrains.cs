namespace HorizonAI.Integration.Tests.Database;

/// <summary>
/// The grain storage the probe grains keep their state in. No product grain keeps Orleans grain state, so the product
/// registers no storage provider; the schema still carries the provider's table, and these probes prove it works.
/// </summary>
public static class ProbeStorage
{
    public const string Name = "probes";
}

/// <summary>A grain whose only job is to prove that state written through the ADO.NET provider comes back.</summary>
[Alias("tests.counter")]
public interface ICounterGrain : IGrainWithStringKey
{
    [Alias("increment")]
    Task<int> IncrementAsync();

    [Alias("get")]
    Task<int> GetAsync();
}

[GenerateSerializer, Alias("tests.counter-state")]
public sealed class CounterState
{
    [Id(0)] public int Value { get; set; }
}

public sealed class CounterGrain([PersistentState("counter", ProbeStorage.Name)] IPersistentState<CounterState> state) : Grain, ICounterGrain
{
    public async Task<int> IncrementAsync()
    {
        state.State.Value++;
        await state.WriteStateAsync();
        return state.State.Value;
    }

    public Task<int> GetAsync() => Task.FromResult(state.State.Value);
}

/// <summary>Counts reminder ticks in its persisted state, so the count is read back from PostgreSQL.</summary>
[Alias("tests.reminder")]
public interface IReminderProbeGrain : IGrainWithStringKey
{
    [Alias("start")]
    Task StartAsync();

    [Alias("ticks")]
    Task<int> GetTicksAsync();
}

public sealed class ReminderProbeGrain([PersistentState("ticks", ProbeStorage.Name)] IPersistentState<CounterState> state) : Grain, IReminderProbeGrain, IRemindable
{
    public Task StartAsync() => this.RegisterOrUpdateReminder("probe", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

    public Task<int> GetTicksAsync() => Task.FromResult(state.State.Value);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        state.State.Value++;
        await state.WriteStateAsync();
    }
}
