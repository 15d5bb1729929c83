namespace HorizonAI.Grains.Interfaces;

/// <summary>
/// What a save requires of the bot as it stands, checked by its grain in the same turn as the write (no other save can
/// come between the check and the write).
/// </summary>
[GenerateSerializer, Immutable, Alias("horizonai.bot-write-conditions")]
public sealed record BotWriteConditions
{
    public static BotWriteConditions None { get; } = new();

    /// <summary>The version the writer read (its <c>If-Match</c>): the save is refused when the bot changed since.</summary>
    [Id(0)] public long? IfVersion { get; init; }

    /// <summary>The writer may not change <c>enabled</c>, <c>metadata</c> or <c>vector_store_ids</c> (a scoped key: those stay the agency's).</summary>
    [Id(1)] public bool KeepsAgencyFields { get; init; }
}
