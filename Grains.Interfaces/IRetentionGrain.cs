namespace HorizonAI.Grains.Interfaces;

/// <summary>What one pass of retention erased, over every bot that has a <c>retention_days</c>.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.retention-pass")]
public sealed record RetentionPass(
    [property: Id(0)] int Bots, [property: Id(1)] int Messages, [property: Id(2)] int ConversationsEmptied, [property: Id(3)] int ToolCalls);

/// <summary>
/// Retention per bot: erases settled messages and the calls of tools of settled turns older than each bot's
/// <c>retention_days</c> (a stateless worker).
/// </summary>
[Alias("horizonai.retention")]
public interface IRetentionGrain : IGrainWithIntegerKey
{
    [Alias("erase-expired")]
    Task<RetentionPass> EraseExpiredAsync();
}
