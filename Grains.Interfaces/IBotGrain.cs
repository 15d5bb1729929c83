using Orleans.Concurrency;

namespace HorizonAI.Grains.Interfaces;

/// <summary>
/// One client's bot, keyed by its E.164 number. Forwarding messages only reads the configuration and interleaves,
/// so a busy client's traffic is never serialised here; configuration changes are exclusive.
/// </summary>
[Alias("horizonai.bot")]
public interface IBotGrain : IGrainWithStringKey
{
    [AlwaysInterleave, Alias("receive")]
    Task<ReceiveOutcome> ReceiveAsync(InboundMessage message);

    [AlwaysInterleave, Alias("get")]
    Task<BotDefinition?> GetAsync();

    [Alias("save")]
    Task<BotWriteResult> SaveAsync(BotDefinition bot, BotWriteMode mode);

    /// <summary>Saves the bot if it stands as <paramref name="conditions"/> require (else <see cref="BotWriteOutcome.Changed"/> or <see cref="BotWriteOutcome.AgencyFields"/>).</summary>
    [Alias("save-if")]
    Task<BotWriteResult> SaveAsync(BotDefinition bot, BotWriteMode mode, BotWriteConditions conditions);

    /// <summary>Removes the bot; with <paramref name="purge"/> its conversations and message log go too.</summary>
    [Alias("delete")]
    Task<bool> DeleteAsync(bool purge);
}
