namespace HorizonAI.Grains.Tools;

/// <summary>A function call as the model made it: its id in the model's conversation, the tool's name, the arguments' JSON.</summary>
public sealed record ModelCall(string CallId, string Name, string Arguments);

/// <summary>What the model is given back for one of its calls.</summary>
public sealed record ToolOutput(string CallId, string Output);

/// <summary>How a call ended, as the transcript and the metrics name it.</summary>
public static class ToolCallStatus
{
    public const string Running = "running";
    public const string Ok = "ok";
    public const string Error = "error";
    public const string Timeout = "timeout";
}

/// <summary>
/// A call of a business's tool as the <c>tool_calls</c> table keeps it: recorded before its first attempt with the
/// idempotency key that every attempt carries, and its output once it ended.
/// </summary>
/// <param name="TurnKey">The id of the oldest message the turn answers: a turn run again finds its calls by it.</param>
/// <param name="ThroughMessageId">The newest message the model had read when it made the call.</param>
/// <param name="Round">The model's response, counted from 1 within the turn, that made the call.</param>
/// <param name="Position">The call's place among that response's calls.</param>
public sealed record RecordedCall(
    long Id,
    long TurnKey,
    long ThroughMessageId,
    int Round,
    int Position,
    string CallId,
    string Tool,
    string Arguments,
    string IdempotencyKey,
    string Status,
    string? Output,
    int? DurationMs,
    DateTimeOffset CreatedAt)
{
    public bool Finished => Status != ToolCallStatus.Running && Output is not null;
}
