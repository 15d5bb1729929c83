namespace HorizonAI.Grains.Interfaces;

/// <summary>
/// One shard of the recovery sweep, keyed 0 to <see cref="Shards"/> - 1. On a reminder it looks in the messages table
/// for conversations of its shard with work left unsettled for a few seconds (their silo died, or their activation lost
/// the answer of a write) and wakes them. A fixed handful of reminders thus stands in for one per conversation.
/// </summary>
[Alias("horizonai.inbox-sweep")]
public interface IInboxSweepGrain : IGrainWithIntegerKey
{
    /// <summary>How many shards the conversations are split into; every silo and release must agree.</summary>
    const int Shards = 8;

    /// <summary>Makes sure this shard's reminder is registered, and sweeps once.</summary>
    [Alias("start")]
    Task StartAsync();
}
