namespace HorizonAI.Grains.Tools;

/// <summary>The <c>tool_calls</c> table (migration 0017): each call of a business's tool, written before it is made.</summary>
public interface IToolCallStore
{
    /// <summary>The calls an earlier attempt of this turn recorded, in the order they were made.</summary>
    Task<IReadOnlyList<RecordedCall>> LoadTurnAsync(string botId, string userNumber, long turnKey, CancellationToken cancellationToken);

    /// <summary>
    /// Records one response's calls, each with a fresh idempotency key, and returns them as the table keeps them: a
    /// call recorded before (same call id in the same turn) keeps its first key and whatever output it had.
    /// </summary>
    Task<IReadOnlyList<RecordedCall>> RecordAsync(string botId, string userNumber, long turnKey, long throughMessageId, int round,
        IReadOnlyList<ModelCall> calls, CancellationToken cancellationToken);

    /// <summary>Writes how a call ended and what the model is given for it.</summary>
    Task FinishAsync(long id, string status, string output, int durationMs, int attempts, CancellationToken cancellationToken);

    /// <summary>A conversation's calls made in [from, to), oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<RecordedCall>> ListAsync(string botId, string userNumber, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken);
}
